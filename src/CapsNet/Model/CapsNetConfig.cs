namespace CapsNet.Model;

/// <summary>
/// Everything that shapes a CapsNet besides its fixed layer sizes: the input images, the classes and the
/// routing count, and the data set the weights were trained on. It travels with the weights as their .json.
/// </summary>
public sealed record CapsNetConfig(
    int InputChannels = 1, int InputSide = 28, int Classes = 10, int Routings = 3,
    IReadOnlyList<string>? ClassNames = null, string Dataset = "mnist")
{
    public const int Conv1Channels = 256;
    public const int Conv1Kernel = 9;

    /// <summary>The smallest input side that leaves the primary-capsule convolution a 1x1 grid.</summary>
    public const int MinimumSide = Conv1Kernel - 1 + PrimaryCapsules.Kernel;

    public static CapsNetConfig Mnist { get; } = new();

    /// <summary>The class names, "0", "1", ... when none were given.</summary>
    public IReadOnlyList<string> Names => ClassNames ?? Enumerable.Range(0, Classes).Select(c => c.ToString()).ToArray();

    public int Conv1Side => InputSide - Conv1Kernel + 1;

    public int PrimaryGridSide => PrimaryCapsules.GridSide(Conv1Side);

    public int PrimaryCapsuleCount => PrimaryCapsules.CapsuleCount(Conv1Side);

    public int PixelCount => InputChannels * InputSide * InputSide;

    /// <summary>Fails with a message the user can act on when no network can be built for these shapes.</summary>
    public void EnsureBuildable()
    {
        if (InputChannels is not (1 or 3))
            throw new UserInputException($"CapsNet takes grey (1 channel) or colour (3 channel) images, not {InputChannels} channels.");
        if (InputSide < MinimumSide)
            throw new UserInputException($"Images of side {InputSide} are too small for CapsNet's two 9x9 convolutions: the smallest side is {MinimumSide}.");
        if (Classes < 2)
            throw new UserInputException($"CapsNet needs at least 2 classes, got {Classes}.");
        if (ClassNames is not null && ClassNames.Count != Classes)
            throw new UserInputException($"{ClassNames.Count} class names given for {Classes} classes.");
        if (Routings < 1)
            throw new UserInputException($"Routings must be at least 1, got {Routings}.");
    }
}
