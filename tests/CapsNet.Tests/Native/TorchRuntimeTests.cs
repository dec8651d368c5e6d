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
    public void KeepsLargeBlocksInTheHeapForReuse()
    {
        Assert.Null(Environment.GetEnvironmentVariable("MALLOC_MMAP_MAX_"));  // a user's own setting would be kept
        TorchRuntime.EnsureLoaded();
        // Over glibc's largest mmap threshold (32 MiB), so mapped on its own by default; under the 64 MiB a
        // thread's own heap can hold (the main thread's heap has no such limit, but xunit runs tests on others).
        const int Size = 40 << 20;

        nuint mappedBefore = MallocInfo().MappedBytes;
        IntPtr block = Marshal.AllocHGlobal(Size);
        nuint mappedWith = MallocInfo().MappedBytes;
        Marshal.FreeHGlobal(block);

        Assert.True(mappedWith < mappedBefore + Size, $"the block was mapped on its own: {mappedBefore} -> {mappedWith} bytes");
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

        var error = Assert.Throws<NoCudaDeviceException>(() => TorchRuntime.SelectDevice(DeviceChoice.Cuda));

        Assert.Equal("No CUDA device is available (this build uses the CPU libtorch unless built with -p:TorchBackend=cuda).",
            error.Message);
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnvironmentVariable(string name);

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallocStatistics MallocInfo();

    /// <summary>glibc's struct mallinfo2; hblkhd is the bytes held in blocks mapped on their own.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallocStatistics
    {
        private readonly nuint _arena, _ordblks, _smblks, _hblks, _hblkhd, _usmblks, _fsmblks, _uordblks, _fordblks, _keepcost;

        public nuint MappedBytes => _hblkhd;
    }
}
