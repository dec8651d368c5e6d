namespace CapsNet;

/// <summary>What the operating system said went wrong, fit for a sentence that names the file itself.</summary>
internal static class SystemError
{
    /// <summary>
    /// <paramref name="e"/>'s message without the " : '&lt;path&gt;'" .NET appends to system errors (the path may be a
    /// temporary or a probe; the caller names the file the user knows) and without its full stop.
    /// </summary>
    public static string Reason(Exception e) => e.Message.Split(" : '")[0].TrimEnd('.');
}
