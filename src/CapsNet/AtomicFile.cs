using System.Runtime.InteropServices;

namespace CapsNet;

/// <summary>
/// Writes a file under a temporary name in the same folder, flushes it to disk, renames it into place and flushes
/// the folder, so readers and crashes (a kill, a power cut) only ever see the old file or the complete new one.
/// Only a regular file is replaced, and a symbolic link to one is written through (<see cref="OutputPath"/>); the
/// temporary is locked while it is written, and those that interrupted writes of the same name left are removed
/// first (<see cref="WriteTemporary"/>).
/// </summary>
internal static class AtomicFile
{
    /// <param name="faults">Where a training run's writes report their moments to the fault-injection tests.</param>
    public static void Write(string path, Action<Stream> write, FaultPoints? faults = null)
    {
        string? target = null, temporary = null;
        try
        {
            target = OutputPath.Resolve(path);
            string folder = Path.GetDirectoryName(target)!, name = Path.GetFileName(target);
            WriteTemporary.RemoveStale(folder, name);
            using (FileStream stream = WriteTemporary.Create(folder, name, out string created))
            {
                temporary = created;
                write(stream);
                stream.Flush(flushToDisk: true);
                // Renamed still locked, so that no remover takes the finished file; Windows renames no open file.
                if (!OperatingSystem.IsWindows())
                    MoveIntoPlace(temporary, target, faults);
            }
            if (OperatingSystem.IsWindows())
                MoveIntoPlace(temporary, target, faults);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(temporary);
            string reason = SystemError.Reason(e);
            string kept = target is not null && File.Exists(target) ? " The previous file is kept." : "";
            throw new UserInputException($"Could not write '{path}': {reason}.{kept}", e);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    /// <summary>
    /// Renames <paramref name="source"/>, complete and flushed, to <paramref name="destination"/> on the same file
    /// system, replacing it, and flushes the destination's folder.
    /// </summary>
    public static void MoveIntoPlace(string source, string destination, FaultPoints? faults = null)
    {
        string name = Path.GetFileName(destination);
        faults?.Reach($"{name} written");
        File.Move(source, destination, overwrite: true);
        FlushFolder(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        faults?.Reach($"{name} renamed");
    }

    public static void WriteAllText(string path, string text, FaultPoints? faults = null) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        }, faults);

    // A rename lives in the folder's own data: until the folder is flushed, a power cut may undo it (as databases
    // know). Best effort: a folder that cannot be opened or flushed (some network file systems) leaves nothing better.
    private static void FlushFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
            return;
        int descriptor = Open(folder, ReadOnly);
        if (descriptor < 0)
            return;
        FileSync(descriptor);
        Close(descriptor);
    }

    // Cleanup must not replace the error that brought us here (the folder may be gone, say).
    private static void DeleteQuietly(string? path)
    {
        if (path is null)
            return;
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private const int ReadOnly = 0;

    [DllImport("libc", EntryPoint = "open")]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync")]
    private static extern int FileSync(int descriptor);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int descriptor);
}
