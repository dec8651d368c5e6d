namespace CapsNet.Native;

/// <summary>The values of <c>--device</c>.</summary>
public enum DeviceChoice
{
    Auto,
    Cpu,
    Cuda,
}
