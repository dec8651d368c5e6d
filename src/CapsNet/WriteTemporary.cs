using System.Text.RegularExpressions;
using System.Runtime.InteropServices;

namespace CapsNet;

/// <summary>
/// The temporary file an <see cref="AtomicFile"/> write fills, <c>.NAME.GUID.tmp</c> beside NAME, held under a
/// lock from its creation until it is renamed into place: a shared flock(2) on Unix, which readers of the renamed
/// file (.NET's take a shared one too) are not kept out by, and an exclusive lock cannot be taken past; on Windows,
/// an open handle. The kernel drops the lock when its process dies, so a temporary whose exclusive lock can be
/// taken belongs to no running write: it is what an interrupted write left, and the next write of NAME removes it.
/// </summary>
internal static partial class WriteTemporary
{
    /// <summary>A new temporary for <paramref name="name"/> in <paramref name="folder"/>, open for writing and locked.</summary>
    public static FileStream Create(string folder, string name, out string path)
    {
        for (int attempt = 1; ; attempt++)
        {
            path = Path.Combine(folder, TemporaryName(name));
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            // A remover may have found the file in the instant between its creation and its lock, and deleted it.
            if (TryLock(stream, Shared) && File.Exists(path))
                return stream;
            stream.Dispose();
            if (attempt == 3)
                throw new IOException($"its temporary file '{path}' was taken by another process three times");
        }
    }

    /// <summary>Removes the temporaries of <paramref name="name"/> in <paramref name="folder"/> that no running write holds.</summary>
    public static void RemoveStale(string folder, string name)
    {
        string[] temporaries;
        try
        {
            temporaries = Directory.GetFiles(folder, "*.tmp");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;  // the write itself will say what is wrong with the folder
        }
        foreach (string path in temporaries)
        {
            if (TargetOfTemporary(Path.GetFileName(path)) == name && IsRegularFile(path))
                RemoveUnlessHeld(path);
        }
    }

    private static bool IsRegularFile(string path)
    {
        try
        {
            return FileNode.Of(path, followLinks: false)?.Kind == FileKind.Regular;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void RemoveUnlessHeld(string path)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                // Opening fails while a write holds it; closing deletes it.
                using var held = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                return;
            }
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            if (TryLock(stream, Exclusive))
                File.Delete(path);  // under the lock, so no write can take it up meanwhile
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Held by a running write (opening with FileShare.None tries the exclusive lock), or already gone.
        }
    }

    // .NET takes these locks itself (exclusive for FileShare.None, else shared) unless file locking is switched off
    // (DOTNET_SYSTEM_IO_DISABLEFILELOCKING); taking them here as well makes them hold either way.
    private static bool TryLock(FileStream stream, int kind) =>
        OperatingSystem.IsWindows() || Lock((int)stream.SafeFileHandle.DangerousGetHandle(), kind | NoWait) == 0;

    private const int Shared = 1;  // LOCK_SH
    private const int Exclusive = 2;  // LOCK_EX
    private const int NoWait = 4;  // LOCK_NB

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Lock(int descriptor, int operation);

    /// <summary>
    /// The file a killed write of <paramref name="name"/> left behind, or null for any other name: the temporary
    /// files are <c>.NAME.GUID.tmp</c>.
    /// </summary>
    public static string? TargetOfTemporary(string name)
    {
        Match match = TemporaryPattern().Match(name);
        return match.Success ? match.Groups[1].Value : null;
    }

    public static string TemporaryName(string name) => $".{name}.{Guid.NewGuid():N}.tmp";

    [GeneratedRegex(@"^\.(.+)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryPattern();
}
