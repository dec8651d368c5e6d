namespace CapsNet;

/// <summary>
/// Writes a file under a temporary name in the same folder and renames it into place, so readers and crashes
/// only ever see the old file or the complete new one.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string fullPath = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(temporary);
            // .NET appends " : '<temporary path>'" to system errors; the user knows the file by its real name.
            string reason = e.Message.Split(" : '")[0].TrimEnd('.');
            string kept = File.Exists(fullPath) ? " The previous file is kept." : "";
            throw new UserInputException($"Could not write '{path}': {reason}.{kept}", e);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    // Cleanup must not replace the error that brought us here (the folder may be gone, say).
    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });
}
