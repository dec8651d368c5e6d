using System.Runtime.InteropServices;
using CapsNet.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Tests.Native;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void MatrixProductRunsOnTheCpu()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);

        using var product = a.matmul(b);

        Assert.Equal(DeviceType.CPU, product.device_type);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
    }

    [Fact]
    public void AsksLibtorchForHugePagesUnlessTheUserChoseOtherwise()
    {
        // .NET reads the environment the process started with; libtorch reads the C library's copy.
        string? chosenAtStart = Environment.GetEnvironmentVariable("THP_MEM_ALLOC_ENABLE");

        TorchRuntime.EnsureLoaded();

        Assert.Equal(chosenAtStart ?? "1", Marshal.PtrToStringAnsi(GetEnvironmentVariable("THP_MEM_ALLOC_ENABLE")));
    }

    [Fact]
    public void CpuChoiceGivesTheCpu()
    {
        Assert.Equal(DeviceType.CPU, TorchRuntime.SelectDevice(DeviceChoice.Cpu).type);
    }

    [Fact]
    public void AutoPicksCudaOnlyWhenAvailable()
    {
        DeviceType expected = cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU;

        Assert.Equal(expected, TorchRuntime.SelectDevice(DeviceChoice.Auto).type);
    }

    [Fact]
    public void CudaGivesTheGpuOrAClearError()
    {
        if (cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, TorchRuntime.SelectDevice(DeviceChoice.Cuda).type);
            return;
        }

        var error = Assert.Throws<UserInputException>(() => TorchRuntime.SelectDevice(DeviceChoice.Cuda));

        Assert.StartsWith("--device cuda was given but no CUDA device is available", error.Message);
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnvironmentVariable(string name);
}
