namespace CapsNet.Data;

/// <summary>
/// A loaded data set: its name (a known name or the folder it came from), class names and splits. The
/// training split is absent when only testing.
/// </summary>
internal sealed class DataSet : IDisposable
{
    public DataSet(string name, IReadOnlyList<string> classNames, ImageSet? train, ImageSet test)
    {
        Name = name;
        ClassNames = classNames;
        Train = train;
        Test = test;
    }

    public string Name { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public ImageSet? Train { get; }

    public ImageSet Test { get; }

    /// <summary>Whether the images could be resized to another side when loaded (image folders can; IDX files cannot).</summary>
    public bool Resizable { get; init; }

    /// <summary>
    /// For MultiMNIST: the splits hold single digits, and the images are pairs of them overlaid (paper, section 6),
    /// drawn afresh each training epoch and fixed for validation and testing.
    /// </summary>
    public PairedDigits? Pairs { get; init; }

    /// <summary>What the caller should tell the user about how the set was found (links to folders not followed, say).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public int Channels => Test.Channels;

    /// <summary>The side of the images the network takes: a pair's canvas for MultiMNIST.</summary>
    public int Side => Pairs is null ? Test.Side : Pairs.CanvasSide(Test.Side);

    /// <summary>Classes present in each image: 2 for MultiMNIST's pairs.</summary>
    public int LabelsPerImage => Pairs is null ? 1 : 2;

    /// <summary>Shape and classes in one phrase, e.g. "1x28x28, 10 classes".</summary>
    public string Describe() =>
        $"{Channels}x{Side}x{Side}, {ClassNames.Count} classes"
            + (Pairs is null ? "" : $", two digits an image, shifted by up to {Pairs.Shift} px");

    /// <summary>What a training pass draws from <paramref name="train"/>: its images, or each epoch's pairs of its digits.</summary>
    public IBatchSource TrainingBatches(ImageSet train, int seed, int pairsPerEpoch) =>
        Pairs is null ? new BatchLoader(train) : new MultiMnistLoader(new MultiMnist(train, seed, Pairs.Shift, Pairs.Pad), pairsPerEpoch);

    /// <summary>
    /// The fixed pairs validation or testing uses for a split of digits: as many as the digits, each on top once,
    /// drawn from <see cref="PairedDigits.EvaluationSeed"/>, whatever the run's seed. The caller owns them.
    /// </summary>
    public ImageSet EvaluationPairs(ImageSet digits)
    {
        PairedDigits pairs = Pairs ?? throw new InvalidOperationException("Not a data set of pairs.");
        return MultiMnistPairs.Test(new MultiMnist(digits, PairedDigits.EvaluationSeed, pairs.Shift, pairs.Pad), digits.Count).ToImageSet();
    }

    public void Dispose()
    {
        Train?.Dispose();
        Test.Dispose();
    }
}
