using CapsNet.Model;
using CapsNet.Tests.Model;
using CapsNet.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CapsNet.Tests.Training;

/// <summary>One small real training run (1000 training and 200 test images, 2 epochs, --debug), then test mode on it.</summary>
public sealed class TrainedRunFixture : IDisposable
{
    public TrainedRunFixture()
    {
        (TrainExitCode, TrainOutput, TrainErrors) = CapsNetInProcess.Run(
            "--epochs", "2", "--train_samples", "1000", "--test_samples", "200", "--seed", "3", "--debug", "--save_dir", SaveDir);
        (TestExitCode, TestOutput, TestErrors) = CapsNetInProcess.Run(
            "-t", "--test_samples", "200", "--digit", "3", "--save_dir", SaveDir);
    }

    private TempDirectory Directory { get; } = new();

    public string SaveDir => Directory.Path;

    public int TrainExitCode { get; }
    public string TrainOutput { get; }
    public string TrainErrors { get; }
    public int TestExitCode { get; }
    public string TestOutput { get; }
    public string TestErrors { get; }

    public void Dispose() => Directory.Dispose();
}

public sealed class EndToEndTests(TrainedRunFixture run) : IClassFixture<TrainedRunFixture>
{
    private string SavePath(string name) => Path.Combine(run.SaveDir, name);

    [Fact]
    public void TrainingSucceedsAndSaysWhereTheModelIs()
    {
        Assert.True(run.TrainExitCode == 0, run.TrainOutput + run.TrainErrors);
        Assert.Contains("Total params: 8,215,568", run.TrainOutput);
        Assert.Contains($"Trained model saved to '{SavePath("trained_model.pt")}'", run.TrainOutput);
        Assert.Matches(@"Epoch 2/2 - \d+s - loss: ", run.TrainOutput);
    }

    [Fact]
    public void LogCsvHasTheReferenceHeaderPlusLrAndOneRowPerEpoch()
    {
        string[] lines = File.ReadAllLines(SavePath("log.csv"));

        Assert.Equal(

            "epoch,capsnet_accuracy,capsnet_loss,decoder_loss,loss,val_capsnet_accuracy,val_capsnet_loss,val_decoder_loss,val_loss,lr",

            lines[0]);
        Assert.Equal(3, lines.Length);
        EpochMetrics first = EpochMetrics.FromCsv(lines[1]), second = EpochMetrics.FromCsv(lines[2]);
        Assert.Equal((0, 0.001), (first.Epoch, first.Lr));
        Assert.Equal(1, second.Epoch);
        Assert.Equal(0.0009, second.Lr, 12);
        Assert.Equal(first.CapsnetLoss + 0.392 * first.DecoderLoss, first.Loss, 5);
        Assert.True(second.CapsnetLoss < first.CapsnetLoss, "the margin loss did not fall");
    }

    [Fact]
    public void WeightsAndCheckpointsAreLoadable()
    {
        using var model = new CapsuleNetwork(CapsNetConfig.Mnist);
        WeightsFile.Load(model, SavePath("weights-01.pt"));  // the first epoch always improves on nothing
        WeightsFile.Load(model, SavePath("trained_model.pt"));
        Checkpoint checkpoint = Checkpoint.Read(run.SaveDir)!;
        Assert.Equal((2, 2), (checkpoint.NextEpoch, checkpoint.Epochs));
        using var optimizer = new LeanAdam(model.parameters(), 0.001);
        checkpoint.Load(run.SaveDir, model, optimizer);
        Assert.Empty(SameWeights.Differences(SavePath("trained_model.pt"), SavePath(checkpoint.ModelFile)));  // the last epoch's
        Assert.Empty(System.IO.Directory.GetFiles(run.SaveDir, "*.tmp"));
    }

    [Fact]
    public void TensorBoardEventsHoldScalarsAndDebugHistograms()
    {
        string[] events = System.IO.Directory.GetFiles(SavePath("tensorboard-logs"), "events.out.tfevents.*", SearchOption.AllDirectories);
        var values = events.SelectMany(TensorBoardFile.Values).ToArray();

        Assert.NotEmpty(events);
        foreach (string scalar in new[] { "capsnet_accuracy/val", "loss/train", "decoder_loss/val", "lr" })
            Assert.Contains(values, value => value.Tag == scalar && value.Scalar is not null);
        foreach (string histogram in new[] { "digit_caps.weight", "decoder.4.bias" })  // --debug
            Assert.Contains(values, value => value.Tag == histogram && value.Scalar is null);
    }

    [Fact]
    public void LossPlotIs400By600()
    {
        var info = Image.Identify(SavePath("log.png"));

        Assert.Equal((400, 600), (info.Width, info.Height));
    }

    [Fact]
    public void TestModeMeasuresTheTrainedModelAsItsLastValidationDid()
    {
        // Validation ran on the same 200 test images with the final weights, in batches of the same size.
        Assert.True(run.TestExitCode == 0, run.TestOutput + run.TestErrors);
        Assert.Contains($"No weights given (-w); using '{SavePath("trained_model.pt")}'.", run.TestOutput);
        EpochMetrics last = EpochMetrics.FromCsv(File.ReadAllLines(SavePath("log.csv"))[^1]);
        Assert.Contains($"\nTest acc: {last.ValCapsnetAccuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)}\n",
            run.TestOutput);
        Assert.True(last.ValCapsnetAccuracy > 0.2, $"{last.ValCapsnetAccuracy} is near chance (0.1)");
    }

    [Fact]
    public void TestModeWritesBothImagesAt8BitGrey()
    {
        using var recon = Image.Load<L8>(SavePath("real_and_recon.png"));
        using var manipulated = Image.Load<L8>(SavePath("manipulate-3.png"));

        Assert.Equal((280, 280), (recon.Width, recon.Height));
        Assert.Equal((308, 448), (manipulated.Width, manipulated.Height));
        Assert.Equal(8, Image.Identify(SavePath("real_and_recon.png")).PixelType.BitsPerPixel);
    }
}
