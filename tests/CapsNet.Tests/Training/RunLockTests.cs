namespace CapsNet.Tests.Training;

public sealed class RunLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AFolderIsLockedOnceUntilItsLockIsReleased()
    {
        RunLock? first = RunLock.TryAcquire(_dir.Path);
        Assert.NotNull(first);
        // flock belongs to an open file description: a second open, even in this process, is refused.
        Assert.Null(RunLock.TryAcquire(_dir.Path));

        first.Dispose();
        using RunLock? again = RunLock.TryAcquire(_dir.Path);
        Assert.NotNull(again);
    }

    [Fact]
    public void AProcessStartedWhileTheLockIsHeldDoesNotKeepIt()
    {
        RunLock? held = RunLock.TryAcquire(_dir.Path);
        Assert.NotNull(held);
        using var child = System.Diagnostics.Process.Start("sleep", "30");
        try
        {
            held.Dispose();
            using RunLock? again = RunLock.TryAcquire(_dir.Path);
            Assert.True(again is not null, "the child process inherited the lock");
        }
        finally
        {
            child.Kill();
        }
    }

    [Fact]
    public void AMissingFolderIsNamed()
    {
        string missing = _dir.File("missing");

        var e = Assert.Throws<UserInputException>(() => RunLock.TryAcquire(missing));
        Assert.Equal($"Cannot lock '{missing}': No such file or directory.", e.Message);
    }

    [Fact]
    public void RefusedAttemptsLeaveNoDescriptorOpen()
    {
        using RunLock? held = RunLock.TryAcquire(_dir.Path);
        Assert.NotNull(held);
        int before = Directory.GetFileSystemEntries("/proc/self/fd").Length;

        for (int attempt = 0; attempt < 200; attempt++)
            Assert.Null(RunLock.TryAcquire(_dir.Path));

        // Other tests running meanwhile open a few files; 200 leaked descriptors would be 200 more.
        Assert.InRange(Directory.GetFileSystemEntries("/proc/self/fd").Length - before, -50, 50);
    }
}
