using CapsNet.Tests.Model;
using CapsNet.Training;

namespace CapsNet.Tests.Training;

/// <summary>One finished run of one short epoch, with settings that are not the defaults.</summary>
public sealed class FinishedRunFixture : IDisposable
{
    public FinishedRunFixture()
    {
        (ExitCode, Output, _) = CapsNetInProcess.Run(SaveDirTests.Args(SaveDir, 1));
    }

    private TempDirectory Directory { get; } = new();

    public string SaveDir => Directory.File("finished");

    public int ExitCode { get; }
    public string Output { get; }

    public void Dispose() => Directory.Dispose();
}

/// <summary>
/// What a run may do in a save_dir another run has used: resume it only with its own settings (or more epochs),
/// not run beside it, not replace it unfinished unless told to, and resume sensibly whatever a kill left.
/// </summary>
public sealed class SaveDirTests(FinishedRunFixture finished) : IClassFixture<FinishedRunFixture>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static string[] Args(string saveDir, int epochs, params string[] more) =>
        ["--epochs", epochs.ToString(), "--batch_size", "20", "--train_samples", "40", "--test_samples", "20", "--routings", "2",
            "--lam_recon", "0.5",
         "--seed", "9", "--save_dir", saveDir, .. more];

    // Every file under the folder with its size and time of last change.
    internal static string[] Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path =>
                $"{Path.GetRelativePath(folder, path)} {new FileInfo(path).Length} {File.GetLastWriteTimeUtc(path):O}").Order().ToArray();

    private static string[] LogEpochs(string saveDir) => File.ReadAllLines(Path.Combine(saveDir,
        "log.csv"))[1..].Select(row => row.Split(',')[0]).ToArray();

    private static Checkpoint ReadCheckpoint(string saveDir) =>
        Checkpoint.Read(saveDir)!;

    private string CopyOfFinished()
    {
        Assert.True(finished.ExitCode == 0, finished.Output);
        string copy = _dir.File("copy");
        foreach (string path in Directory.GetFiles(finished.SaveDir, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(finished.SaveDir, path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target);
        }
        return copy;
    }

    [Theory]
    [InlineData("--batch_size", "10", "20")]
    [InlineData("--lr", "0.01", "0.001")]
    [InlineData("--lr_decay", "0.5", "0.9")]
    [InlineData("--lam_recon", "0", "0.5")]
    [InlineData("--routings", "3", "2")]
    [InlineData("--shift_fraction", "0", "0.1")]
    [InlineData("--seed", "1", "9")]
    [InlineData("--precision", "bf16", "auto")]
    [InlineData("--train_samples", "30", "40")]
    [InlineData("--test_samples", "10", "20")]
    public void ResumingWithAContradictingFlagIsRefusedNamingStoredAndGivenValues(string flag, string given, string stored)
    {
        Assert.True(finished.ExitCode == 0, finished.Output);
        string[] before = Snapshot(finished.SaveDir);

        var (exitCode, _, stderr) = CapsNetInProcess.Run("--resume", flag, given, "--save_dir", finished.SaveDir);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            $"error: Cannot resume '{finished.SaveDir}' with other settings: {flag} stored {stored}, given {given}. Leave those flags " +
                "out to continue the run as it was.",
            stderr.Split('\n')[0]);
        Assert.Equal(before, Snapshot(finished.SaveDir));
    }

    [Fact]
    public void EachContradictionIsListedAndEqualValuesAreNone()
    {
        Assert.True(finished.ExitCode == 0, finished.Output);

        var (exitCode, _, stderr) = CapsNetInProcess.Run("--resume", "--routings", "1", "--lam_recon", "0", "--seed", "9", "--lr", "1e-3",
            "--save_dir", finished.SaveDir);

        Assert.Equal(2, exitCode);
        Assert.Contains($"with other settings: --lam_recon stored 0.5, given 0; --routings stored 2, given 1. Leave", stderr);
    }

    [Fact]
    public void MoreEpochsExtendAFinishedRunWithItsStoredSettingsAndFewerAreRefused()
    {
        string saveDir = CopyOfFinished();

        var (exitCode, stdout, stderr) = CapsNetInProcess.Run("--resume", "--epochs", "2", "--save_dir", saveDir);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("Stored settings of the run: --batch_size=20 --lr=0.001 --lr_decay=0.9 --lam_recon=0.5 --routings=2 " +
            "--shift_fraction=0.1 --seed=9 --precision=auto --dataset=mnist --train_samples=40 --test_samples=20", stdout);
        Assert.Contains("Data: 40 training and 20 validation (the test set) images", stdout);
        Assert.Contains("Resuming at epoch 2/2", stdout);
        Assert.Equal(["0", "1"], LogEpochs(saveDir));
        Checkpoint checkpoint = ReadCheckpoint(saveDir);
        Assert.Equal((2, 2), (checkpoint.NextEpoch, checkpoint.Epochs));
        Assert.Equal(2, checkpoint.Run!.Model.Routings);

        var fewer = CapsNetInProcess.Run("--resume", "--epochs", "1", "--save_dir", saveDir);

        Assert.Equal(2, fewer.ExitCode);
        Assert.Contains("with other settings: --epochs 1 is fewer than the 2 already trained.", fewer.Stderr);
    }

    [Fact]
    public void ResumingSaysThatWeightsGivenWithWAreNotLoaded()
    {
        // -w is where a run starts; once it has a checkpoint, resuming it must not silently drop the flag. The file
        // is not weights at all: a resumed run does not read it.
        string saveDir = CopyOfFinished(), start = _dir.File("start.pt");
        File.WriteAllText(start, "not weights");

        var (exitCode, stdout, stderr) = CapsNetInProcess.Run("--resume", "--epochs", "2", "-w", start, "--save_dir", saveDir);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains($"-w '{start}' is not loaded: a resumed run continues from its checkpoint's weights.", stdout);
        Assert.DoesNotContain("Loaded weights from", stdout);
        Assert.Contains("Resuming at epoch 2/2", stdout);
    }

    [Fact]
    public void ResumingWithWNamesADamagedCheckpointNotTheWeights()
    {
        string saveDir = CopyOfFinished(), start = _dir.File("start.pt"), checkpoint = Path.Combine(saveDir, RunFiles.CheckpointFile);
        File.WriteAllText(start, "not weights");
        File.WriteAllText(checkpoint, "{ damaged");

        var (exitCode, stdout, stderr) = CapsNetInProcess.Run(Args(saveDir, 2, "--resume", "-w", start));

        Assert.True(exitCode == 1, stdout + stderr);
        Assert.StartsWith($"error: Cannot resume: '{checkpoint}' is not a readable checkpoint (", stderr.Trim());
    }

    [Fact]
    public void ResumingARunWithoutACheckpointStartsFromTheWeightsGivenWithW()
    {
        string saveDir = CopyOfFinished(), start = _dir.File("start.pt");
        File.Copy(Path.Combine(saveDir, "trained_model.pt"), start);
        File.Copy(Path.Combine(saveDir, "trained_model.json"), _dir.File("start.json"));
        File.Delete(Path.Combine(saveDir, RunFiles.CheckpointFile));

        var (exitCode, stdout, stderr) = CapsNetInProcess.Run(Args(saveDir, 1, "--resume", "-w", start));

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains($"Loaded weights from '{start}'.", stdout);
        Assert.Contains("Starting from epoch 1.", stdout);
    }

    [Fact]
    public void ANewRunMayReplaceAFinishedOne()
    {
        string saveDir = CopyOfFinished();
        File.WriteAllText(Path.Combine(saveDir, "weights-07.pt"), "best weights of an older, longer run");

        var (exitCode, stdout, stderr) = CapsNetInProcess.Run(Args(saveDir, 1));

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Equal(["0"], LogEpochs(saveDir));
        Assert.False(File.Exists(Path.Combine(saveDir, "weights-07.pt")));
    }

    [Fact]
    public void ANewRunDoesNotReplaceAnUnfinishedOneUnlessToldTo()
    {
        string saveDir = _dir.File("unfinished");
        CapsNetProcess.KillAt("epoch 2/batch 1", Args(saveDir, 2));
        string[] before = Snapshot(saveDir);

        var (exitCode, _, stderr) = CapsNetInProcess.Run(Args(saveDir, 2));

        Assert.Equal(1, exitCode);
        Assert.Equal($"error: '{saveDir}' holds an unfinished training run (1 of 2 epochs trained). Continue it with --resume, or start " +
            "over with --overwrite.", stderr.Trim());
        Assert.Equal(before, Snapshot(saveDir));

        var overwrite = CapsNetInProcess.Run(Args(saveDir, 2, "--overwrite"));

        Assert.True(overwrite.ExitCode == 0, overwrite.Stdout + overwrite.Stderr);
        Assert.DoesNotContain("Resuming", overwrite.Stdout);
        Assert.Equal(["0", "1"], LogEpochs(saveDir));
    }

    [Fact]
    public void ASecondRunIntoTheSameFolderStopsAtOnceAndWritesNothing()
    {
        string saveDir = _dir.File("busy");
        using (var first = CapsNetProcess.StartPausedAt("epoch 1/log.csv renamed", Args(saveDir, 1)))
        {
            string[] before = Snapshot(saveDir);

            var (exitCode, stdout, stderr) = CapsNetInProcess.Run(Args(saveDir, 1));
            var resumed = CapsNetInProcess.Run(Args(saveDir, 1, "--resume"));

            Assert.Equal(1, exitCode);
            Assert.Equal($"error: Another run is writing to '{saveDir}'. Wait for it to end, or choose another --save_dir.", stderr.Trim());
            Assert.DoesNotContain("Total params", stdout);  // stopped before building the model or loading data
            Assert.Equal((1, stderr), (resumed.ExitCode, resumed.Stderr));
            Assert.Equal(before, Snapshot(saveDir));
            first.Kill();
        }

        // kill -9 leaves no stale lock: the next run takes the folder and cleans up what the killed one left.
        var next = CapsNetInProcess.Run(Args(saveDir, 1, "--resume"));

        Assert.True(next.ExitCode == 0, next.Stdout + next.Stderr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(finished.SaveDir, "log.csv")), File.ReadAllBytes(Path.Combine(saveDir, "log.csv")));
    }

    [Fact]
    public void AKillDuringTheFirstCheckpointLeavesARunThatResumeStartsOver()
    {
        string saveDir = _dir.File("first");
        CapsNetProcess.KillAt("epoch 1/checkpoint.json written", Args(saveDir, 1));
        // What the issue found: the epoch's log row and weights, the checkpoint's tensors, a temporary, no checkpoint.json.
        Assert.Equal(["0"], LogEpochs(saveDir));
        Assert.True(File.Exists(Path.Combine(saveDir, "weights-01.pt")));
        Assert.False(File.Exists(Path.Combine(saveDir, RunFiles.CheckpointFile)));
        Assert.Single(Directory.GetFiles(saveDir, ".checkpoint.json.*.tmp"));

        var (exitCode, stdout, stderr) = CapsNetInProcess.Run(Args(saveDir, 1, "--resume"));

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains($"No complete checkpoint in '{saveDir}': the run stopped before its first epoch was saved. Starting from epoch 1.",
            stdout);
        Assert.Empty(Directory.GetFiles(saveDir, "*.tmp"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(finished.SaveDir, "log.csv")), File.ReadAllBytes(Path.Combine(saveDir, "log.csv")));
        Assert.Empty(SameWeights.Differences(Path.Combine(finished.SaveDir, "trained_model.pt"), Path.Combine(saveDir,
            "trained_model.pt")));
    }
}
