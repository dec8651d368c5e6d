namespace CapsNet.Data;

/// <summary>
/// A loaded data set: its name (a known name or the folder it came from), class names and splits. The
/// training split is absent when only testing.
/// </summary>
public sealed class DataSet : IDisposable
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

    /// <summary>What the caller should tell the user about how the set was found (links to folders not followed, say).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public int Channels => Test.Channels;

    public int Side => Test.Side;

    /// <summary>Shape and classes in one phrase, e.g. "1x28x28, 10 classes".</summary>
    public string Describe() => $"{Channels}x{Side}x{Side}, {ClassNames.Count} classes";

    public void Dispose()
    {
        Train?.Dispose();
        Test.Dispose();
    }
}
