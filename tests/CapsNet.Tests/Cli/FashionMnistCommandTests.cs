namespace CapsNet.Tests.Cli;

/// <summary>Training on Fashion-MNIST, the data set Debian installs, through the command line.</summary>
public sealed class FashionMnistCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SaveDir => _dir.File("out");

    [Fact]
    public void OneFashionMnistEpochOnAFewThousandImagesBeatsChanceClearly()
    {
        var (exitCode, stdout, stderr) = CapsNetInProcess.Run("train", "--dataset", "fashion-mnist", "--epochs", "1",
            "--train_samples", "2000", "--test_samples", "500", "--batch_size", "50", "--save_dir", SaveDir);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("from 'fashion-mnist' (1x28x28, 10 classes)", stdout);
        Assert.InRange(DataSetCommandTests.LastValAccuracy(stdout), 0.5, 1.0);  // chance is 0.1
        Assert.Contains("\"Ankle boot\"", File.ReadAllText(Path.Combine(SaveDir, "trained_model.json")));
    }
}
