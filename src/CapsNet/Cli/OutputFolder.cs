namespace CapsNet.Cli;

/// <summary>Makes sure --save_dir is a folder this process can write, before any long work starts.</summary>
public static class OutputFolder
{
    public static void Prepare(string path)
    {
        if (File.Exists(path))
            throw new UserInputException($"--save_dir '{path}' is a file, not a folder.");
        try
        {
            Directory.CreateDirectory(path);
            string probe = Path.Combine(path, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--save_dir '{path}' is not writable: {e.Message}", e);
        }
    }
}
