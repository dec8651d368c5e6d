namespace CapsNet.Tests;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("capsnet-tests-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// A link named <paramref name="name"/> to /proc/self/mem, which exists but answers a read from its start with an I/O error.
    /// </summary>
    public string UnreadableFile(string name)
    {
        string path = File(name);
        System.IO.File.CreateSymbolicLink(path, "/proc/self/mem");
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
