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
    public void AReaderThatOpenedTheOldFileKeepsReadingItWhole()
    {
        // A rename swaps the name over to a new file; copying onto the old one would rewrite what the reader reads.
        string path = _dir.File("trained_model.pt");
        byte[] old = Filled(1 << 20, 1), replacement = Filled(1 << 20, 2);
        File.WriteAllBytes(path, old);
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = new byte[1000];
        reader.ReadExactly(start);

        AtomicFile.Write(path, stream => stream.Write(replacement));

        var rest = new byte[old.Length];
        int read = reader.ReadAtLeast(rest, rest.Length, throwOnEndOfStream: false);
        Assert.Equal(old.Length - start.Length, read);
        Assert.True(start.Concat(rest[..read]).SequenceEqual(old), "the open file changed under its reader");
        Assert.Equal(replacement, File.ReadAllBytes(path));
    }

    [Fact]
    public void TheOldFileStaysWholeUnderAnotherName()
    {
        // A hard link is the old file under a second name: a rename leaves it alone, an overwrite in place would not.
        string path = _dir.File("weights-01.pt"), link = _dir.File("previous.pt");
        byte[] old = Filled(1 << 20, 1), replacement = Filled(1 << 19, 2);
        File.WriteAllBytes(path, old);
        Sh($"ln '{path}' '{link}'");

        AtomicFile.Write(path, stream => stream.Write(replacement));

        Assert.Equal(replacement, File.ReadAllBytes(path));
        Assert.True(File.ReadAllBytes(link).SequenceEqual(old), "the old file was rewritten in place");
    }

    [Fact]
    public async Task ReadersDuringRepeatedWritesSeeOnlyWholeVersions()
    {
        const int size = 4 << 20, versions = 12;
        string path = _dir.File("log.csv");
        File.WriteAllBytes(path, Filled(size, 0));
        using var done = new CancellationTokenSource();
        int reads = 0;
        var torn = new List<string>();
        // A thread of its own: on a busy machine a pool task may not start before all the writes are over.
        var reader = Task.Factory.StartNew(() =>
        {
            while (!done.IsCancellationRequested)
            {
                byte[] seen = File.ReadAllBytes(path);
                Interlocked.Increment(ref reads);
                if (seen.Length != size || seen.Any(b => b != seen[0]))
                    torn.Add($"{seen.Length} bytes, first {seen.FirstOrDefault()}, last {seen.LastOrDefault()}");
            }
        }, TaskCreationOptions.LongRunning);

        for (byte version = 1; version <= versions; version++)
        {
            // Each version is written only once the reader has read the one before, so reads and writes interleave.
            int before = Volatile.Read(ref reads);
            SpinWait.SpinUntil(() => Volatile.Read(ref reads) > before || reader.IsCompleted);
            byte value = version;
            AtomicFile.Write(path, stream =>
            {
                // Written in pieces, so a reader of a file being filled in place would catch it part-way.
                for (int offset = 0; offset < size; offset += 64 << 10)
                    stream.Write(Filled(64 << 10, value));
            });
        }
        done.Cancel();
        await reader;

        Assert.True(reads >= versions);
        Assert.True(torn.Count == 0, $"{torn.Count} of {reads} reads saw a partial file, e.g. {torn.FirstOrDefault()}");
        Assert.Equal(Filled(size, versions), File.ReadAllBytes(path));
    }

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    [Fact]
    public void TheNextWriteRemovesTheTemporariesOfInterruptedWritesAndNoOthers()
    {
        // Each temporary is locked by a process of its own, as a write holds its temporary; two of them are killed
        // mid-write, as an interrupted write is, and the kernel drops their locks.
        string path = _dir.File("predictions.csv");
        string killed = _dir.File(WriteTemporary.TemporaryName("predictions.csv")),
            killedToo = _dir.File(WriteTemporary.TemporaryName("predictions.csv"));
        string running = _dir.File(WriteTemporary.TemporaryName("predictions.csv")),
            otherName = _dir.File(WriteTemporary.TemporaryName("log.csv"));
        using Process writer = HoldLock(running), otherWriter = HoldLock(otherName);
        foreach (string temporary in new[] { killed, killedToo })
        {
            using Process interrupted = HoldLock(temporary);
            interrupted.Kill(entireProcessTree: true);
            interrupted.WaitForExit();
        }
        try
        {
            Assert.True(File.Exists(killed) && File.Exists(killedToo), "a killed write leaves its temporary");

            AtomicFile.WriteAllText(path, "a,b\n");

            Assert.Equal("a,b\n", File.ReadAllText(path));
            Assert.Equal(new[] { otherName, path, running }.Order(StringComparer.Ordinal),
                Directory.GetFiles(_dir.Path).Order(StringComparer.Ordinal));

            writer.Kill(entireProcessTree: true);
            writer.WaitForExit();
            AtomicFile.WriteAllText(path, "c,d\n");

            Assert.Equal(new[] { otherName, path }.Order(StringComparer.Ordinal),
                Directory.GetFiles(_dir.Path).Order(StringComparer.Ordinal));
        }
        finally
        {
            writer.Kill(entireProcessTree: true);
            otherWriter.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void AWriteHoldsItsTemporaryLockedUntilItIsInPlace()
    {
        string path = _dir.File("trained_model.pt");
        int? lockTaken = null;

        AtomicFile.Write(path, stream =>
        {
            stream.Write(Filled(1000, 7));
            string temporary = Directory.GetFiles(_dir.Path).Single();
            // flock(1) -n fails at once, with exit code 1, on a file another holds.
            using var probe = Process.Start(new ProcessStartInfo("flock", ["-n", temporary, "true"]))!;
            probe.WaitForExit();
            lockTaken = probe.ExitCode;
        });

        Assert.Equal(1, lockTaken);
        Assert.Equal(Filled(1000, 7), File.ReadAllBytes(path));
    }

    /// <summary>
    /// A process that creates <paramref name="temporary"/> with a byte in it and holds an exclusive flock on it until killed.
    /// </summary>
    private static Process HoldLock(string temporary)
    {
        File.WriteAllText(temporary, "x");
        var process = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--close", temporary, "sh", "-c",
            "echo locked; exec sleep 120"])
        {
            RedirectStandardOutput = true,
        })!;
        Assert.Equal("locked", process.StandardOutput.ReadLine());
        return process;
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
