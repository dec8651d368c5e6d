namespace CapsNet.Model;

/// <summary>
/// The sizes a CapsNet's memory follows from: the input, the classes and the routing count, and the fixed layer
/// sizes. A record of its own, filled by <see cref="MemoryPlan.Sizes"/> from the model's constants, so that a
/// redesigned config only has to fill it anew.
/// </summary>
internal sealed record NetworkSizes(
    int InputChannels, int InputSide, int Classes, int Routings,
    int Conv1Channels, int Conv1Kernel,
    int PrimaryChannels, int PrimaryCapsuleDim, int PrimaryKernel, int PrimaryStride,
    int DigitCapsuleDim, int Hidden1, int Hidden2)
{
    public long Pixels => (long)InputChannels * InputSide * InputSide;

    public long Conv1Side => InputSide - Conv1Kernel + 1;

    public long GridSide => (Conv1Side - PrimaryKernel) / PrimaryStride + 1;

    /// <summary>I, the primary capsules: 1152 for MNIST's 28x28.</summary>
    public long PrimaryCapsules => GridSide * GridSide * PrimaryChannels / PrimaryCapsuleDim;

    /// <summary>Elements of u_hat [classes, I, 16] for one image, the largest activation by far.</summary>
    public long Predictions => Classes * PrimaryCapsules * DigitCapsuleDim;

    public long Parameters =>
        Conv1Channels * ((long)InputChannels * Conv1Kernel * Conv1Kernel + 1)
        + PrimaryChannels * ((long)Conv1Channels * PrimaryKernel * PrimaryKernel + 1)
        + Classes * PrimaryCapsules * DigitCapsuleDim * PrimaryCapsuleDim
        + ((long)Classes * DigitCapsuleDim + 1) * Hidden1 + (Hidden1 + 1L) * Hidden2 + (Hidden2 + 1L) * Pixels;

    /// <summary>"3x1000x1000", as a sentence names the images.</summary>
    public string ImageShape => $"{InputChannels}x{InputSide}x{InputSide}";
}
