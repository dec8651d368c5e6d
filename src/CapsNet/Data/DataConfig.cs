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

    /// <summary>
    /// MultiMNIST: the largest shift of each digit, in pixels, on each axis; null, the paper's 4 (its authors' code
    /// used 6).
    /// </summary>
    public int? PairShift { get; init; }

    /// <summary>MultiMNIST: the pairs a training epoch draws afresh; null, 60,000.</summary>
    public int? PairsPerEpoch { get; init; }

    /// <summary>What to load for a run: its training images too when <paramref name="withTrain"/>.</summary>
    public DataRequest Request(bool withTrain) =>
        new(Dataset, withTrain, TrainSamples, TestSamples, Channels, ImageSize, PairShift: PairShift ?? MultiMnist.PaperShift);

    public static string? SamplesProblem(int? samples) => samples is null ? null : Bounds.AtLeast(samples.Value, 1);

    public static string? ChannelsProblem(int? channels) => channels is null or 1 or 3 ? null : "must be 1 or 3";

    /// <summary>A digit of 28 shifted further than its blank border and the canvas' pad would lose more than a third of itself.</summary>
    public static string? PairShiftProblem(int? shift) => shift is null or (>= 0 and <= 8) ? null : "must be from 0 to 8";

    public static string? PairsPerEpochProblem(int? pairs) => pairs is null ? null : Bounds.AtLeast(pairs.Value, 1);

    public DataConfig Validate()
    {
        Bounds.Ensure("channels", Channels, ChannelsProblem);
        Bounds.Ensure("train_samples", TrainSamples, SamplesProblem);
        Bounds.Ensure("test_samples", TestSamples, SamplesProblem);
        Bounds.Ensure("val_samples", ValSamples, SamplesProblem);
        Bounds.Ensure("pair_shift", PairShift, PairShiftProblem);
        Bounds.Ensure("pairs_per_epoch", PairsPerEpoch, PairsPerEpochProblem);
        return this;
    }
}
