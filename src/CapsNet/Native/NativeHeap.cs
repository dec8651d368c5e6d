using System.Runtime.InteropServices;

namespace CapsNet.Native;

/// <summary>
/// glibc serves every allocation over 32 MB with a fresh mmap and unmaps it on free, so each of the step's
/// big tensors (u_hat and its gradient are 74 MB at batch 100, the conv1 output 41 MB) page-faults its memory
/// in, zero-filled, again and again. Keeping freed memory on the heap lets the next step reuse it.
/// </summary>
public static class NativeHeap
{
    private const int MmapMax = -4;  // M_MMAP_MAX
    private const int TrimThreshold = -1;  // M_TRIM_THRESHOLD
    private const int TopPad = -2;  // M_TOP_PAD

    private static bool s_configured;

    public static void KeepFreedMemory()
    {
        if (s_configured || !OperatingSystem.IsLinux())
            return;
        s_configured = true;
        MallocOption(MmapMax, 0);
        MallocOption(TrimThreshold, int.MaxValue);
        MallocOption(TopPad, 64 << 20);
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallocOption(int parameter, int value);
}
