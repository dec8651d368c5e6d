using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Native;

/// <summary>The one place that loads libtorch, sets up how memory is allocated, picks the device and sets the thread count.</summary>
internal static class TorchRuntime
{
    /// <summary>
    /// Sets up how tensor memory is allocated (before the first tensor), then loads the native libraries,
    /// turning TorchSharp's misleading load failure into a message that says what to check.
    /// </summary>
    public static void EnsureLoaded()
    {
        EnableHugePageAllocations();
        KeepFreedMemoryForReuse();
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException)
        {
            throw new UserInputException(
                "libtorch could not be loaded. Build with 'dotnet build' (it patches libLibTorchSharp.so for this " +
                $"system's libstdc++) and run from the build output. Detail: {Innermost(e).Message}", e);
        }
    }

    public static Device SelectDevice(DeviceChoice choice)
    {
        EnsureLoaded();
        return choice switch
        {
            DeviceChoice.Cpu => CPU,
            DeviceChoice.Cuda when cuda.is_available() => CUDA,
            DeviceChoice.Cuda => throw new NoCudaDeviceException(),
            _ => cuda.is_available() ? CUDA : CPU,
        };
    }

    /// <summary>More threads than cores only make them wait for each other; 0 keeps libtorch's default, one per core.</summary>
    public static string? ThreadsProblem(int threads) =>
        threads is >= 0
            && threads <= Environment.ProcessorCount ? null : $"must be from 0 to {Environment.ProcessorCount}, the cores this machine has";

    /// <summary>Sets libtorch's intra-op thread count; 0 or less keeps its default (one per core).</summary>
    public static void SetThreads(int threads)
    {
        EnsureLoaded();
        if (threads > 0)
            torch.set_num_threads(threads);
    }

    /// <summary>
    /// Asks libtorch to back its large CPU tensors with transparent huge pages: every step allocates tens of large
    /// tensors afresh, and faulting them in 4 KiB pages costs more than the arithmetic that fills them
    /// (docs/performance.md). libtorch reads the variable once, at its first allocation, through the C library's
    /// environment, which .NET's own environment does not write to. A value the user set is kept.
    /// </summary>
    private static void EnableHugePageAllocations()
    {
        if (OperatingSystem.IsLinux())
            SetEnvironmentVariable("THP_MEM_ALLOC_ENABLE", "1", overwrite: 0);
    }

    /// <summary>
    /// Tells glibc to serve every block from its heaps and keep what is freed there, instead of mapping each block
    /// over 32 MiB afresh and unmapping it on free (threads other than the main one still map blocks over 64 MiB).
    /// Handed back, each of a step's large tensors must be zeroed by the kernel when touched again; kept, the next
    /// step reuses the memory, at the price of resident memory that stays near its peak (docs/performance.md).
    /// Malloc settings the user gave through the environment are left alone.
    /// </summary>
    private static void KeepFreedMemoryForReuse()
    {
        if (!OperatingSystem.IsLinux() || UserTunedMalloc())
            return;
        const int MaxMappedBlocks = -4, TrimThreshold = -1;  // M_MMAP_MAX, M_TRIM_THRESHOLD
        SetMallocOption(MaxMappedBlocks, 0);
        SetMallocOption(TrimThreshold, int.MaxValue);
    }

    private static bool UserTunedMalloc() =>
        Environment.GetEnvironmentVariable("MALLOC_MMAP_MAX_") is not null ||
        Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is not null ||
        Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Contains("glibc.malloc.", StringComparison.Ordinal) == true;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int SetMallocOption(int option, int value);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnvironmentVariable(string name, string value, int overwrite);

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
