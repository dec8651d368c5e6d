namespace CapsNet;

/// <summary>
/// An output folder locked for one run (<see cref="RunLock"/>): at once when it exists, so that a second run into it
/// stops before it loads anything and writes nothing; when <see cref="Create"/> makes it otherwise.
/// </summary>
internal sealed class LockedFolder : IDisposable
{
    private RunLock? _lock;

    private LockedFolder(string path, RunLock? held)
    {
        Path = path;
        _lock = held;
    }

    public string Path { get; }

    public static LockedFolder Open(string path) => new(path, Directory.Exists(path) ? RunLock.Acquire(path) : null);

    /// <summary>Makes the folder (checking that it can be written) and locks it if it was not there to lock before.</summary>
    public void Create()
    {
        OutputFolder.Prepare(Path);
        _lock ??= RunLock.Acquire(Path);
    }

    public void Dispose() => _lock?.Dispose();
}
