namespace CapsNet.Model;

/// <summary>The input and class shape the network is built for; MNIST by default.</summary>
public sealed record CapsNetConfig(int InputChannels = 1, int InputSide = 28, int Classes = 10, int Routings = 3)
{
    public const int Conv1Channels = 256;
    public const int Conv1Kernel = 9;

    public static CapsNetConfig Mnist { get; } = new();

    public int Conv1Side => InputSide - Conv1Kernel + 1;

    public int PrimaryGridSide => PrimaryCapsules.GridSide(Conv1Side);

    public int PrimaryCapsuleCount => PrimaryCapsules.CapsuleCount(Conv1Side);

    public int PixelCount => InputChannels * InputSide * InputSide;
}
