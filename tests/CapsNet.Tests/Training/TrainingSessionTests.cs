using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;

namespace CapsNet.Tests.Training;

/// <summary>
/// A training session in this process, where mutation testing sees it: stopped between epochs as Ctrl-C stops it, what
/// a new run and --resume then do with the folder, the data set's warnings, and a run of two labels an image.
/// </summary>
[Collection(ThreadCountCollection.Name)]
public sealed class TrainingSessionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SaveDir => _dir.File("run");

    private static readonly string[] Tiny = ["--batch_size", "20", "--train_samples", "40", "--test_samples", "20", "--seed", "9"];

    private (int ExitCode, string Output, string Errors) Train(params string[] more) =>
        CapsNetInProcess.Run(["train", .. Tiny, "--save_dir", SaveDir, .. more]);

    /// <summary>Cancels, as Ctrl-C does, once the output holds <paramref name="text"/>.</summary>
    private sealed class CancelOn(string text) : StringWriter
    {
        public CancellationTokenSource Cancel { get; } = new();

        public override void Write(string? value)
        {
            base.Write(value);
            if (ToString().Contains(text))
                Cancel.Cancel();
        }
    }

    // Two epochs of the tiny run, cancelled while the first one's line is printed: the second stops after its first batch.
    private (TrainingOutcome Outcome, string Output) TrainOneOfTwoEpochs()
    {
        var job = new TrainingJob(new RunConfig(CapsNetConfig.Mnist, new TrainingConfig { Epochs = 2, BatchSize = 20, Seed = 9 },
            new DataConfig { TrainSamples = 40, TestSamples = 20 }), SaveDir);
        using var output = new CancelOn("Epoch 1/2 - ");
        TrainingOutcome outcome = Session(job, output, checkpoint: null, output.Cancel.Token);
        return (outcome, output.ToString());
    }

    // One sitting of a session in SaveDir, under the folder's lock, as the train command runs it.
    private TrainingOutcome Session(TrainingJob job, TextWriter output, Checkpoint? checkpoint, CancellationToken cancel)
    {
        using LockedFolder folder = LockedFolder.Open(SaveDir);
        return new TrainingSession(TestConsole.Create(output), FaultPoints.None).Run(job, folder, checkpoint, cancel);
    }

    [Fact]
    public void ACancelledRunKeepsItsFinishedEpochsAndANewRunDoesNotReplaceItUnlessToldTo()
    {
        var (outcome, output) = TrainOneOfTwoEpochs();

        Assert.Equal(new TrainingOutcome(Finished: false, EpochsKept: 1), outcome);
        Assert.Contains("Epoch 2/2 1/2 loss ", output);
        Assert.DoesNotContain("Epoch 2/2 2/2", output);
        Assert.DoesNotContain("Trained model saved", output);
        Assert.Equal(1, Checkpoint.Read(SaveDir)!.NextEpoch);
        string[] before = SaveDirTests.Snapshot(SaveDir);

        var (exitCode, _, errors) = Train("--epochs", "2");

        Assert.Equal(1, exitCode);
        Assert.Equal($"error: '{SaveDir}' holds an unfinished training run (1 of 2 epochs trained). Continue it with --resume, or start " +
            "over with --overwrite.\n", errors);
        Assert.Equal(before, SaveDirTests.Snapshot(SaveDir));

        var overwritten = Train("--epochs", "1", "--overwrite");

        Assert.True(overwritten.ExitCode == 0, overwritten.Output + overwritten.Errors);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(SaveDir, RunFiles.Log)).Length);  // the header and the new run's one epoch
        Assert.Equal((1, true), (Checkpoint.Read(SaveDir)!.NextEpoch, Checkpoint.Read(SaveDir)!.Finished));
    }

    [Fact]
    public void ResumingAFolderWithoutARunIsRefusedAndOneWithoutACompleteCheckpointStartsOver()
    {
        Directory.CreateDirectory(SaveDir);

        var (exitCode, output, errors) = Train("--epochs", "1", "--resume");

        Assert.Equal(1, exitCode);
        Assert.Equal($"error: Cannot resume: no checkpoint.json in '{SaveDir}'. Train without --resume first.\n", errors);
        Assert.Empty(Directory.GetFileSystemEntries(SaveDir));

        // What a kill during the first epoch's checkpoint leaves: the run's files, and no checkpoint.json to trust.
        File.WriteAllText(Path.Combine(SaveDir, RunFiles.Log), "epoch,capsnet_accuracy\n");
        File.WriteAllText(Path.Combine(SaveDir, "checkpoint-01.pt"), "half");
        File.WriteAllText(Path.Combine(SaveDir, RunFiles.BestWeights(7)), "a run file the first epoch does not write again");

        (exitCode, output, errors) = Train("--epochs", "1", "--resume");

        Assert.True(exitCode == 0, output + errors);
        Assert.Contains($"No complete checkpoint in '{SaveDir}': the run stopped before its first epoch was saved. Starting from epoch 1.",
            output);
        Assert.Equal(1, Checkpoint.Read(SaveDir)!.NextEpoch);
        Assert.True(new FileInfo(Path.Combine(SaveDir, "checkpoint-01.pt")).Length > 1_000_000, "the half-written weights are still there");
        Assert.Equal(2, File.ReadAllLines(Path.Combine(SaveDir, RunFiles.Log)).Length);
        Assert.False(File.Exists(Path.Combine(SaveDir, RunFiles.BestWeights(7))), "starting over leaves no file of the run before");
    }

    // A session that must refuse before it trains: the batch is larger than the training images it would have.
    private BatchTooLargeException RefusedBatch(int batchSize, int? valSamples)
    {
        var job = new TrainingJob(new RunConfig(CapsNetConfig.Mnist, new TrainingConfig { Epochs = 1, BatchSize = batchSize },
            new DataConfig { TrainSamples = 40, TestSamples = 20, ValSamples = valSamples }), SaveDir);
        return Assert.Throws<BatchTooLargeException>(() => Session(job, TextWriter.Null, checkpoint: null, CancellationToken.None));
    }

    [Fact]
    public void ABatchLargerThanTheImagesLeftToTrainOnIsNamedWithWhatIsHeldOut()
    {
        BatchTooLargeException whole = RefusedBatch(batchSize: 41, valSamples: null);
        BatchTooLargeException heldOut = RefusedBatch(batchSize: 21, valSamples: 20);  // 40 - 20 = 20 left

        Assert.Equal(("A batch of 41 is larger than the 40 training images.", 41, 40, (int?)null),
            (whole.Message, whole.Batch, whole.Images, whole.HeldOut));
        Assert.Equal(("A batch of 21 is larger than the 20 training images left after holding out 20.", 21, 20, (int?)20),
            (heldOut.Message, heldOut.Batch, heldOut.Images, heldOut.HeldOut));
        Assert.Null(Checkpoint.Read(SaveDir));
    }

    [Fact]
    public void ASessionSetsItsThreadsAndNamesItsDataAndTheCheckpointItResumesFromAfterRollingBackLaterFiles()
    {
        int threads = Math.Min(2, Environment.ProcessorCount);
        // 60 images, 20 held out: the batch is all 40 left, one batch an epoch.
        var job = new TrainingJob(new RunConfig(CapsNetConfig.Mnist, new TrainingConfig { Epochs = 2, BatchSize = 40, Seed = 9,
            Precision = PrecisionChoice.Fp32 }, new DataConfig { TrainSamples = 60, TestSamples = 20, ValSamples = 20 }), SaveDir)
        {
            Threads = threads,
        };
        try
        {
            using (var output = new CancelOn("Epoch 1/2 - "))
            {
                Session(job, output, checkpoint: null, output.Cancel.Token);

                Assert.Contains($"Device: cpu, {threads} thread{(threads == 1 ? "" : "s")}, fp32 (as asked).", output.ToString());
                Assert.Contains("Data: 40 training and 20 held-out validation images from 'mnist' (1x28x28, 10 classes).",
                    output.ToString());
            }
            string later = Path.Combine(SaveDir, RunFiles.BestWeights(3));  // of an epoch past the checkpoint
            File.WriteAllText(later, "later");

            using (var output = new StringWriter())
            {
                TrainingOutcome outcome = Session(job with { Resume = true }, output, Checkpoint.Read(SaveDir), CancellationToken.None);

                Assert.Equal(new TrainingOutcome(Finished: true, EpochsKept: 2), outcome);
                Assert.Contains($"Resuming at epoch 2/2 from '{Path.Combine(SaveDir, RunFiles.CheckpointFile)}'.\n", output.ToString());
            }
            Assert.False(File.Exists(later));
        }
        finally
        {
            TorchRuntime.SetThreads(1);  // as every test runs
        }
    }

    [Fact]
    public void StartingWeightsForAnotherShapeAreRefusedBeforeTheFolderIsTouched()
    {
        string five = _dir.File("five.pt");
        using (var network = new CapsuleNetwork(new CapsNetConfig(Classes: 5), new TorchSharp.torch.Generator(1)))
            WeightsFile.Save(network, five);

        var (exitCode, _, errors) = Train("--epochs", "1", "-w", five);

        Assert.Equal(1, exitCode);
        Assert.Equal($"error: Weights '{five}' are for 1x28x28 images and 5 classes; the data set 'mnist' has 1x28x28 images and 10 " +
            "classes.\n", errors);
        Assert.False(Directory.Exists(SaveDir) && Directory.EnumerateFileSystemEntries(SaveDir).Any());
    }

    [Fact]
    public void TheDataSetsWarningsArePrintedBeforeTraining()
    {
        string shapes = _dir.File("shapes");
        ShapesFolder.Write(shapes, trainPerClass: 14, testPerClass: 2, side: 28);
        string square = ShapesFolder.LinkBackInto(shapes, "train");

        var (exitCode, output, errors) = CapsNetInProcess.Run("train", "--dataset", shapes, "--epochs", "1", "--batch_size", "21",
            "--save_dir", SaveDir);

        Assert.True(exitCode == 0, output + errors);
        string warning = $"warning: '{Path.Combine(square, "again")}' leads back to '{square}', which holds it; not followed";
        Assert.Contains(warning, output);
        Assert.True(output.IndexOf(warning, StringComparison.Ordinal) < output.IndexOf("Epoch 1/1", StringComparison.Ordinal));
        Assert.Contains("Data: 42 training and 6 validation (the test set) images", output);
    }

    [Fact]
    public void ARunOfTwoLabelsAnImageScoresPairsRightOnlyWhenBothClassesAre()
    {
        var (exitCode, output, errors) = CapsNetInProcess.Run("train", "--dataset", "multimnist", "--epochs", "1", "--pairs_per_epoch",
            "40", "--train_samples", "100", "--test_samples", "20", "--batch_size", "20", "--lam_recon", "0.5", "--save_dir", SaveDir);

        Assert.True(exitCode == 0, output + errors);
        Assert.Contains("Data: 40 training pairs an epoch, drawn afresh from 100 digits, and 20 validation (the test set) pairs from " +
            "'multimnist' (1x36x36, 10 classes, two digits an image, shifted by up to 4 px).\n", output);
        EpochMetrics row = EpochMetrics.FromCsv(File.ReadAllLines(Path.Combine(SaveDir, RunFiles.Log))[1]);
        Assert.Equal(row.CapsnetLoss + 0.5 * row.DecoderLoss, row.Loss, 5);
        Assert.Equal(row.ValCapsnetLoss + 0.5 * row.ValDecoderLoss, row.ValLoss, 5);
        Assert.Equal(0, row.CapsnetAccuracy * 40 % 1, 9);  // a count of the 40 pairs
        Assert.Equal(0, row.ValCapsnetAccuracy * 20 % 1, 9);
    }
}
