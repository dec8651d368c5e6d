using System.Runtime.InteropServices;

namespace CapsNet.Native;

/// <summary>
/// Fixes glibc's mmap threshold at its 32 MiB maximum. Left dynamic, glibc raises it step by step as big
/// blocks are freed, so the heap, and the resident size, keep growing for the first dozens of steps; fixed,
/// the blocks of up to 32 MiB a step allocates and frees are reused from the first step on.
/// </summary>
public static class NativeHeap
{
    private const int MmapThreshold = -3;  // M_MMAP_THRESHOLD
    private const int TrimThreshold = -1;  // M_TRIM_THRESHOLD

    private static bool s_configured;

    public static void FixThresholds()
    {
        if (s_configured || !OperatingSystem.IsLinux())
            return;
        s_configured = true;
        MallocOption(MmapThreshold, 32 << 20);
        MallocOption(TrimThreshold, 256 << 20);
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallocOption(int parameter, int value);
}
