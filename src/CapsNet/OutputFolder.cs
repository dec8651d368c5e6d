namespace CapsNet;

/// <summary>Makes sure an output folder is one this process can write, before any long work starts.</summary>
internal static class OutputFolder
{
    /// <summary>Creates <paramref name="path"/> if missing; fails when it cannot be written.</summary>
    public static void Prepare(string path)
    {
        if (File.Exists(path))
            throw new OutputFolderException(path, "is a file, not a folder.");
        string probe = Path.Combine(path, $".write-test-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(path);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(path, $"is not writable: {Reason(e, probe)}.");
        }
    }

    // The system's reason, without the name of the probe file, which the user never asked for.
    private static string Reason(Exception e, string probe) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException or DirectoryNotFoundException => "nothing can be created there",
        PathTooLongException => "its path is too long to hold a file",
        _ => LowerFirst(SystemError.Reason(e).Replace($"'{probe}'", "a new file")),
    };

    private static string LowerFirst(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];

    /// <summary>Creates the folder <paramref name="file"/> goes into, if missing; fails naming the file.</summary>
    public static void PrepareFor(string file)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        try
        {
            Prepare(folder);
        }
        catch (OutputFolderException e)
        {
            throw new UserInputException($"Could not write '{file}': its folder '{folder}' {e.Problem}", e);
        }
    }
}
