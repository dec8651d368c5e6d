using System.Text.RegularExpressions;
using CapsNet.Cli;
using CapsNet.Training;

namespace CapsNet.Tests.Training;

/// <summary>
/// A tiny run in this process (50 training and 20 test images, batches of 20, lr_decay 0.9), then extended by an
/// epoch with --resume: the files it leaves checked against its own log.csv and hand-computed learning rates.
/// EndToEndTests run the real process; this one runs in the test's, where mutation testing sees what it covers.
/// </summary>
public sealed class TrainingRunTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private (int ExitCode, string Output) Train(params string[] more) => TrainInto(_dir.Path, more);

    private static (int ExitCode, string Output) TrainInto(string saveDir, params string[] more)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int exitCode = CapsNetApp.Run(
            ["train", "--batch_size", "20", "--train_samples", "50", "--test_samples", "20", "--seed", "7", "--lr_decay", "0.9",
             "--save_dir", saveDir, .. more],
            TestConsole.Create(output), errors);
        return (exitCode, output.ToString() + errors);
    }

    private EpochMetrics[] LogRows(out string[] lines)
    {
        lines = File.ReadAllLines(_dir.File(RunFiles.Log));
        Assert.Equal(
            "epoch,capsnet_accuracy,capsnet_loss,decoder_loss,loss,val_capsnet_accuracy,val_capsnet_loss,val_decoder_loss,val_loss,lr",
            lines[0]);
        return lines.Skip(1).Select(EpochMetrics.FromCsv).ToArray();
    }

    // The TensorBoard scalars of an epoch, at its step.
    private static (string Tag, long Step, float? Scalar)[] Scalars(EpochMetrics row) =>
        new (string Tag, double Value)[]
        {
            ("loss/train", row.Loss), ("loss/val", row.ValLoss), ("capsnet_loss/train", row.CapsnetLoss), ("capsnet_loss/val",
                row.ValCapsnetLoss),
            ("decoder_loss/train", row.DecoderLoss), ("decoder_loss/val", row.ValDecoderLoss),
            ("capsnet_accuracy/train", row.CapsnetAccuracy), ("capsnet_accuracy/val", row.ValCapsnetAccuracy), ("lr", row.Lr),
        }.Select(scalar => (scalar.Tag, (long)row.Epoch, (float?)scalar.Value)).ToArray();

    [Fact]
    public void ARunLeavesWhatItsLogSaysAndResumingAddsTheNextEpoch()
    {
        var (exitCode, output) = Train("--epochs", "2");
        Assert.True(exitCode == 0, output);

        EpochMetrics[] rows = LogRows(out string[] twoEpochs);
        Assert.Equal([0, 1], rows.Select(row => row.Epoch));
        Assert.Equal(0.001, rows[0].Lr, 12);
        Assert.Equal(0.0009, rows[1].Lr, 12);  // 0.001 * 0.9^1, which is 0.0009000000000000001 in doubles
        foreach (EpochMetrics row in rows)
        {
            Assert.Equal(row.CapsnetLoss + 0.392 * row.DecoderLoss, row.Loss, 5);
            Assert.Equal(row.ValCapsnetLoss + 0.392 * row.ValDecoderLoss, row.ValLoss, 5);
            Assert.Equal(0, row.CapsnetAccuracy * 40 % 1,
                9);  // a count of 40: two whole batches, the last 10 images left out as the reference does
            Assert.Equal(0, row.ValCapsnetAccuracy * 20 % 1, 9);  // a count of the 20 validation images
        }
        // The progress lines of each batch, the last with the epoch's figures; then Keras' line for the epoch.
        Assert.Contains("Epoch 1/2 1/2 loss ", output);
        Assert.Contains($"Epoch 1/2 2/2 loss {rows[0].Loss:F4} acc {rows[0].CapsnetAccuracy:F4} - 00:00:", output);
        Assert.DoesNotContain("Epoch 1/2 3/2", output);
        Assert.Matches("(?m)^" + Regex.Escape("Epoch 2/2 - ") + @"\d+s" + Regex.Escape(
            $" - loss: {rows[1].Loss:F4} - capsnet_loss: {rows[1].CapsnetLoss:F4} - decoder_loss: {rows[1].DecoderLoss:F4} - " +
            $"capsnet_accuracy: {rows[1].CapsnetAccuracy:F4} - val_loss: {rows[1].ValLoss:F4} - val_capsnet_accuracy: " +
                $"{rows[1].ValCapsnetAccuracy:F4} - lr: 0.0009") + "$",
            output);
        Assert.Contains($"val_capsnet_accuracy improved from -inf to {rows[0].ValCapsnetAccuracy:F5}, saving model to " +
            $"'{_dir.File("weights-01.pt")}'", output);
        Assert.Contains($"Trained model saved to '{_dir.File(RunFiles.TrainedModel)}'", output);

        // The best weights are written when validation accuracy strictly improves: always after the first epoch.
        bool secondImproved = rows[1].ValCapsnetAccuracy > rows[0].ValCapsnetAccuracy;
        Assert.Equal(secondImproved, File.Exists(_dir.File("weights-02.pt")));
        Assert.Equal(secondImproved, output.Contains("saving model to '" + _dir.File("weights-02.pt")));
        if (secondImproved)
            Assert.Contains($"val_capsnet_accuracy improved from {rows[0].ValCapsnetAccuracy:F5} to {rows[1].ValCapsnetAccuracy:F5}",
                output);
        Checkpoint checkpoint = Checkpoint.Read(_dir.Path)!;
        Assert.Equal((2, 2, "checkpoint-02.pt", "checkpoint-02.optimizer"), (checkpoint.NextEpoch, checkpoint.Epochs, checkpoint.ModelFile,
            checkpoint.OptimizerFile));
        Assert.Equal(rows.Max(row => row.ValCapsnetAccuracy), checkpoint.BestValAccuracy);
        Assert.Equal((0.9, 7, 20), (checkpoint.Run!.Training.LrDecay, checkpoint.Run.Training.Seed, checkpoint.Run.Training.BatchSize));
        Assert.Equal((50, 20), (checkpoint.Run.Data.TrainSamples, checkpoint.Run.Data.TestSamples));
        Assert.True(checkpoint.Finished);
        string[] files = Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        string[] bestWeights = secondImproved ? ["weights-01.json", "weights-01.pt", "weights-02.json",
            "weights-02.pt"] : ["weights-01.json", "weights-01.pt"];
        Assert.Equal(
            ["checkpoint-02.json", "checkpoint-02.optimizer", "checkpoint-02.pt", "checkpoint.json", "log.csv", "log.png",
                "trained_model.json", "trained_model.pt", .. bestWeights],
            files);
        Assert.Equal([_dir.File("tensorboard-logs")], Directory.GetDirectories(_dir.Path));  // no staging folder left
        Assert.Equal(["events.out.tfevents.epoch-0001", "events.out.tfevents.epoch-0002"],
            Directory.GetFiles(_dir.File("tensorboard-logs")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (EpochMetrics row in rows)  // each epoch's figures as log.csv has them, no weight histograms without --debug
            Assert.Equal(Scalars(row), TensorBoardFile.Values(_dir.File($"tensorboard-logs/{RunFiles.TensorBoardEvents(row.Epoch + 1)}")));

        (exitCode, output) = Train("--resume", "--epochs", "3");
        Assert.True(exitCode == 0, output);

        EpochMetrics[] extended = LogRows(out string[] threeEpochs);
        Assert.Equal(twoEpochs, threeEpochs[..3]);  // the trained epochs' rows, byte for byte
        Assert.Equal(2, extended[2].Epoch);
        Assert.Equal(0.00081, extended[2].Lr, 12);  // 0.001 * 0.9^2
        Assert.Contains("Epoch 3/3 - ", output);
        Assert.DoesNotContain("Epoch 1/3", output);
        checkpoint = Checkpoint.Read(_dir.Path)!;
        Assert.Equal((3, 3, "checkpoint-03.pt"), (checkpoint.NextEpoch, checkpoint.Epochs, checkpoint.ModelFile));
        Assert.Equal(extended.Max(row => row.ValCapsnetAccuracy), checkpoint.BestValAccuracy);
        Assert.Equal(extended[2].ValCapsnetAccuracy > rows.Max(row => row.ValCapsnetAccuracy), File.Exists(_dir.File("weights-03.pt")));
        Assert.False(File.Exists(_dir.File("checkpoint-02.pt")));
        Assert.Equal(3, Directory.GetFiles(_dir.File("tensorboard-logs")).Length);

        // Resuming continues from the checkpoint's weights and Adam state: the same as three epochs in one go.
        string straight = _dir.File("straight");
        (exitCode, output) = TrainInto(straight, "--epochs", "3");
        Assert.True(exitCode == 0, output);
        Assert.Equal(File.ReadAllLines(Path.Combine(straight, RunFiles.Log)), threeEpochs);
    }
}
