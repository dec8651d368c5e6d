using System.Runtime.InteropServices;

namespace CapsNet.Native;

/// <summary>
/// Ends the process without the runtime's shutdown: libtorch threads may be mid-operation, and tearing the
/// runtime down under them crashes (SIGSEGV) instead of exiting with the code asked for.
/// </summary>
internal static class ImmediateExit
{
    public static void Now(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsWindows())
            Environment.Exit(exitCode);
        Exit(exitCode);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);
}
