using System.Runtime.InteropServices;

namespace CapsNet;

/// <summary>
/// One run per folder: an exclusive advisory lock (flock) on the folder itself, held while the process
/// lives. The kernel drops it when the process ends, however it ends, so kill -9 leaves nothing stale; and it
/// writes nothing into the folder. (Windows, untested here, holds an open <c>.lock</c> file instead.)
/// </summary>
internal sealed class RunLock : IDisposable
{
    private const int ExclusiveNonBlocking = 2 | 4;  // LOCK_EX | LOCK_NB

    private readonly int _descriptor = -1;
    private readonly FileStream? _windowsLock;

    private RunLock(int descriptor, FileStream? windowsLock)
    {
        _descriptor = descriptor;
        _windowsLock = windowsLock;
    }

    /// <summary>Locks <paramref name="folder"/>, which must exist; fails when another process holds it.</summary>
    public static RunLock Acquire(string folder) => TryAcquire(folder) ?? throw new FolderBusyException(folder);

    /// <summary>Locks <paramref name="folder"/>, which must exist; null when another process holds it.</summary>
    public static RunLock? TryAcquire(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                return new RunLock(-1, new FileStream(Path.Combine(folder, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite,
                    FileShare.None, 1, FileOptions.DeleteOnClose));
            }
            catch (IOException)
            {
                return null;
            }
        }

        int descriptor = Open(folder, CloseOnExec);  // read-only, and not inherited by processes started meanwhile
        if (descriptor < 0)
            throw new UserInputException($"Cannot lock '{folder}': {Marshal.GetLastPInvokeErrorMessage()}.");
        if (Flock(descriptor, ExclusiveNonBlocking) == 0)
            return new RunLock(descriptor, null);
        string reason = Marshal.GetLastPInvokeErrorMessage();
        bool held = Marshal.GetLastPInvokeError() == WouldBlock;
        Close(descriptor);
        return held ? null : throw new UserInputException($"Cannot lock '{folder}': {reason}.");
    }

    public void Dispose()
    {
        _windowsLock?.Dispose();
        if (_descriptor >= 0)
            Close(_descriptor);
    }

    private static int WouldBlock => OperatingSystem.IsMacOS() ? 35 : 11;  // EWOULDBLOCK

    // O_CLOEXEC: a child process started while the lock is held would otherwise share the lock and keep it
    // after this process released it or ended.
    private static int CloseOnExec => OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int descriptor, int operation);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int descriptor);
}
