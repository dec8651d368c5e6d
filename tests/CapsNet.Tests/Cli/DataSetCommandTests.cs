using System.Globalization;
using System.Text.RegularExpressions;
using SixLabors.ImageSharp;

namespace CapsNet.Tests.Cli;

/// <summary>
/// Training and testing on other data through the command line: an image folder, held-out validation (Fashion-MNIST
/// in <see cref="FashionMnistCommandTests"/>, a class of its own so that xUnit trains both data sets at once).
/// </summary>
public sealed class DataSetCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SaveDir => _dir.File("out");

    internal static double LastValAccuracy(string output) =>
        double.Parse(Regex.Matches(output, @"val_capsnet_accuracy: ([0-9.]+)").Last().Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public void AShapesFolderIsLearnedAndTestingRebuildsTheColourModelFromItsJson()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(root, trainPerClass: 100, testPerClass: 20, side: 24);

        var (trainExit, trainOut, trainErr) = CapsNetInProcess.Run("train", "--dataset", root, "--epochs", "4", "--batch_size", "10",
            "--lr", "0.003", "--save_dir", SaveDir);

        Assert.True(trainExit == 0, trainOut + trainErr);
        Assert.Contains("(3x24x24, 3 classes)", trainOut);
        Assert.Contains("primary_caps (Reshape, Squash)    (None, 512, 8)", trainOut);  // 4x4x32
        Assert.InRange(LastValAccuracy(trainOut), 0.8, 1.0);  // chance is 1/3

        // Only -w: the model, the data set and its conversion all come from trained_model.json; --digit defaults to the last class, 2.
        string work = _dir.File("work");
        Directory.CreateDirectory(work);
        var (testExit, testOut, testErr) = CapsNetInProcess.Run("-t", "-w", Path.Combine(SaveDir, "trained_model.pt"), "--save_dir",
            Path.Combine(work, "result"));

        Assert.True(testExit == 0, testOut + testErr);
        double accuracy = double.Parse(Regex.Match(testOut, @"Test acc: ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.8, 1.0);
        using var recon = Image.Load(Path.Combine(work, "result", "real_and_recon.png"));
        using var manipulated = Image.Load(Path.Combine(work, "result", "manipulate-2.png"));
        Assert.Equal((240, 240, 24), (recon.Width, recon.Height, recon.PixelType.BitsPerPixel));
        Assert.Equal((11 * 24, 16 * 24, 24), (manipulated.Width, manipulated.Height, manipulated.PixelType.BitsPerPixel));
    }

    [Fact]
    public void HeldOutValidationUsesTheLastTrainingImages()
    {
        var (exitCode, stdout, stderr) = CapsNetInProcess.Run("train", "--epochs", "1", "--train_samples", "300", "--val_samples", "50",
            "--test_samples", "7", "--batch_size", "50", "--save_dir", SaveDir);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("Data: 250 training and 50 held-out validation images from 'mnist' (1x28x28, 10 classes).", stdout);
        Assert.Contains("Epoch 1/1 5/5 ", stdout);  // 250 / 50 steps
        // Validation accuracy is a count out of the 50 held-out images, not out of the 7 test images.
        double accuracy = LastValAccuracy(stdout) * 50;
        Assert.Equal(Math.Round(accuracy), accuracy, 6);
    }
}
