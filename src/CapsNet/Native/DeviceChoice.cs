namespace CapsNet.Native;

/// <summary>The values of <c>--device</c>.</summary>
internal enum DeviceChoice
{
    Auto,
    Cpu,
    Cuda,
}
