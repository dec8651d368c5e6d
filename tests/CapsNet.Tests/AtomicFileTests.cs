using System.Diagnostics;

namespace CapsNet.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReplacesTheFileWhole()
    {
        string path = _dir.File("log.csv");
        File.WriteAllText(path, "old");

        AtomicFile.WriteAllText(path, "new contents");

        Assert.Equal("new contents", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void AFailedWriteKeepsTheOldFileAndLeavesNoTemporary()
    {
        string path = _dir.File("trained_model.pt");
        File.WriteAllText(path, "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new InvalidOperationException("crash half way");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void DiskFullIsReportedAndTheOldFileStays()
    {
        // A real full disk: a 256 KiB tmpfs (the tests run as root, as CI does).
        string mount = Path.Combine(_dir.Path, "tiny");
        Directory.CreateDirectory(mount);
        Sh($"mount -t tmpfs -o size=256k tmpfs '{mount}'");
        try
        {
            string path = Path.Combine(mount, "trained_model.pt");
            File.WriteAllText(path, "old");

            var error = Assert.Throws<UserInputException>(() => AtomicFile.Write(path, stream => stream.Write(new byte[1 << 20])));

            Assert.Equal($"Could not write '{path}': No space left on device. The previous file is kept.", error.Message);
            Assert.Equal("old", File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(mount));
        }
        finally
        {
            Sh($"umount '{mount}'");
        }
    }

    private static void Sh(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("sh", ["-c", command]) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"'{command}' failed: {error}");
    }
}
