using CapsNet.Training;

namespace CapsNet.Tests.Training;

public sealed class InterruptionTests : IDisposable
{
    private const int Sigint = 2, Sigterm = 15;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // Three batches an epoch, so that a signal can arrive in the middle of one.
    private static string[] Args(string saveDir, int epochs, params string[] more) =>
        ["--epochs", epochs.ToString(), "--train_samples", "60", "--batch_size", "20", "--test_samples", "20", "--seed", "11",
            "--save_dir", saveDir, .. more];

    private static int NextEpoch(string saveDir) =>
        Checkpoint.Read(saveDir)!.NextEpoch;

    private static string[] LogRows(string saveDir) => File.ReadAllLines(Path.Combine(saveDir, "log.csv"))[1..];

    [Theory]
    [InlineData(Sigint)]
    [InlineData(Sigterm)]
    public void SignalDuringTrainingKeepsFinishedEpochsAndResumeCompletesTheRun(int signal)
    {
        string saveDir = _dir.File("run");
        using (var training = CapsNetProcess.Start(Args(saveDir, 3)))
        {
            training.WaitForOutput("Epoch 2/3 1/3 ", TimeSpan.FromMinutes(5));
            training.Signal(signal);

            Assert.Equal(130, training.WaitForExit(TimeSpan.FromMinutes(2)));
            Assert.Contains($"Resume with:\n  dotnet run --project src/CapsNet -c Release -- {string.Join(" ", Args(saveDir, 3))} " +
                "--resume\n",
                training.Stderr);
            Assert.DoesNotContain("Trained model saved", training.Stdout);
        }
        int finished = NextEpoch(saveDir);
        Assert.InRange(finished, 1, 2);
        Assert.Equal(finished, LogRows(saveDir).Length);

        var (exitCode, stdout, stderr) = CapsNetProcess.Run(Args(saveDir, 3, "--resume"));

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains($"Resuming at epoch {finished + 1}/3", stdout);
        Assert.Equal(["0", "1", "2"], LogRows(saveDir).Select(row => row.Split(',')[0]));
        Assert.True(File.Exists(Path.Combine(saveDir, "trained_model.pt")));
    }

    [Fact]
    public void ASignalBeforeTheFirstEpochEndsSaysNothingIsSavedAndHowToStartAgain()
    {
        // Four batches of 40 after the first leave the signal seconds to arrive before the epoch ends.
        string saveDir = _dir.File("run");
        string[] args = ["--epochs", "3", "--train_samples", "200", "--batch_size", "40", "--test_samples", "40", "--save_dir", saveDir];
        using var training = CapsNetProcess.Start(args);
        training.WaitForOutput("Epoch 1/3 1/5 ", TimeSpan.FromMinutes(5));

        training.Signal(Sigterm);

        Assert.Equal(130, training.WaitForExit(TimeSpan.FromMinutes(2)));
        Assert.Contains($"Interrupted before the first epoch finished: no epoch is saved in '{saveDir}'. Start again with:\n" +
            $"  dotnet run --project src/CapsNet -c Release -- {string.Join(" ", args)}\n", training.Stderr);
        Assert.DoesNotContain("--resume", training.Stderr);
        Assert.False(File.Exists(Path.Combine(saveDir, "checkpoint.json")));
    }

    [Fact]
    public void ASecondSigintQuitsAtOnce()
    {
        // The second signal must arrive while the current batch still runs, else the batch ends first and the first signal's
        // stop is what exits. Batches of 40 (a third of a second) lost that race once on a busy machine; batches of 200 take
        // seconds, far longer than the test takes to see the first signal's answer and send the second.
        using var training = CapsNetProcess.Start("--epochs", "3", "--train_samples", "1000", "--batch_size", "200", "--test_samples", "40",
            "--save_dir", _dir.File("run"));
        training.WaitForOutput("Epoch 1/3 1/5 ", TimeSpan.FromMinutes(5));

        training.Signal(Sigint);
        training.WaitForOutput("stopping after the current batch", TimeSpan.FromMinutes(1));
        training.Signal(Sigint);

        Assert.Equal(130, training.WaitForExit(TimeSpan.FromMinutes(1)));
        Assert.Contains("Stopped at once", training.Stderr);
    }

    [Fact]
    public void AResumedRunRepeatsTheUninterruptedRunsNextEpoch()
    {
        string straight = _dir.File("straight"), resumed = _dir.File("resumed");

        var uninterrupted = CapsNetInProcess.Run(Args(straight, 2));
        var firstHalf = CapsNetInProcess.Run(Args(resumed, 1));
        var secondHalf = CapsNetInProcess.Run(Args(resumed, 2, "--resume"));

        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.Stderr);
        Assert.True(firstHalf.ExitCode == 0, firstHalf.Stderr);
        Assert.True(secondHalf.ExitCode == 0, secondHalf.Stderr);
        Assert.Equal(LogRows(straight), LogRows(resumed));
    }

    [Fact]
    public void ResumeWithoutACheckpointIsNamed()
    {
        string saveDir = _dir.File("empty");

        var (exitCode, _, stderr) = CapsNetInProcess.Run(Args(saveDir, 2, "--resume"));

        Assert.Equal(1, exitCode);
        Assert.Equal($"error: Cannot resume: no checkpoint.json in '{saveDir}'. Train without --resume first.", stderr.Trim());
    }
}
