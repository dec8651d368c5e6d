namespace CapsNet.Native;

/// <summary>CUDA was asked for, and libtorch has no CUDA device to give.</summary>
internal sealed class NoCudaDeviceException()
    : Exception("No CUDA device is available (this build uses the CPU libtorch unless built with -p:TorchBackend=cuda).")
{
}
