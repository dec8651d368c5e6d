using System.Runtime.InteropServices;

namespace CapsNet.Bench;

/// <summary>Resident set size of this process, from /proc/self/status.</summary>
internal static class ResidentMemory
{
    /// <summary>
    /// Resident size once glibc has handed its free heap pages back (malloc_trim): the memory the process holds.
    /// Without the trim, a reading also counts the allocator's cache of freed tensors, which swings by up to
    /// 200 MB from one step to the next and would hide or fake a leak.
    /// </summary>
    public static double HeldMiB()
    {
        if (OperatingSystem.IsLinux())
            TrimHeap(0);
        return Read("VmRSS:");
    }

    public static double PeakMiB() => Read("VmHWM:");

    private static double Read(string field)
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0]) / 1024.0;
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int TrimHeap(nuint pad);
}
