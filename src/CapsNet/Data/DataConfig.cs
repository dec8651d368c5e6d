namespace CapsNet.Data;

/// <summary>
/// Which images a run trains and validates on: a known data set's name or a folder, the conversion image folders
/// get, and the subsets taken. Null sizes mean the data as it is.
/// </summary>
internal sealed record DataConfig
{
    public const string DefaultDataset = "mnist";

    public string Dataset { get; init; } = DefaultDataset;

    /// <summary>Image folders: 1 (grey) or 3 (colour) channels instead of what the images are.</summary>
    public int? Channels { get; init; }

    /// <summary>Image folders: every image resized to this side.</summary>
    public int? ImageSize { get; init; }

    public int? TrainSamples { get; init; }
    public int? TestSamples { get; init; }

    /// <summary>Training images held out (the last N) to validate on instead of the test set.</summary>
    public int? ValSamples { get; init; }

    /// <summary>What to load for a run: its training images too when <paramref name="withTrain"/>.</summary>
    public DataRequest Request(bool withTrain) => new(Dataset, withTrain, TrainSamples, TestSamples, Channels, ImageSize);

    public static string? SamplesProblem(int? samples) => samples is null ? null : Bounds.AtLeast(samples.Value, 1);

    public static string? ChannelsProblem(int? channels) => channels is null or 1 or 3 ? null : "must be 1 or 3";

    public DataConfig Validate()
    {
        Bounds.Ensure("channels", Channels, ChannelsProblem);
        Bounds.Ensure("train_samples", TrainSamples, SamplesProblem);
        Bounds.Ensure("test_samples", TestSamples, SamplesProblem);
        Bounds.Ensure("val_samples", ValSamples, SamplesProblem);
        return this;
    }
}
