namespace CapsNet.Bench;

/// <summary>Resident set size of this process, from /proc/self/status.</summary>
public static class ResidentMemory
{
    public static double CurrentMiB() => Read("VmRSS:");

    public static double PeakMiB() => Read("VmHWM:");

    private static double Read(string field)
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0]) / 1024.0;
    }
}
