using System.Globalization;
using System.Text.RegularExpressions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CapsNet.Tests.Cli;

/// <summary>Training and testing on other data through the real program: Fashion-MNIST, an image folder, and bad folders.</summary>
public sealed class DataSetCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SaveDir => _dir.File("out");

    private static double LastValAccuracy(string output) =>
        double.Parse(Regex.Matches(output, @"val_capsnet_accuracy: ([0-9.]+)").Last().Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public void OneFashionMnistEpochOnAFewThousandImagesBeatsChanceClearly()
    {
        var (exitCode, stdout, stderr) = CapsNetProcess.Run("train", "--dataset", "fashion-mnist", "--epochs", "1",
            "--train_samples", "3000", "--test_samples", "500", "--batch_size", "50", "--save_dir", SaveDir);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("from 'fashion-mnist' (1x28x28, 10 classes)", stdout);
        Assert.InRange(LastValAccuracy(stdout), 0.5, 1.0);  // chance is 0.1
        Assert.Contains("\"Ankle boot\"", File.ReadAllText(Path.Combine(SaveDir, "trained_model.json")));
    }

    [Fact]
    public void AShapesFolderIsLearnedAndTestingRebuildsTheColourModelFromItsJson()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(root, trainPerClass: 100, testPerClass: 20);

        var (trainExit, trainOut, trainErr) = CapsNetProcess.Run("train", "--dataset", root, "--epochs", "4", "--batch_size", "10",
            "--lr", "0.003", "--save_dir", SaveDir);

        Assert.True(trainExit == 0, trainOut + trainErr);
        Assert.Contains("(3x32x32, 3 classes)", trainOut);
        Assert.Contains("primary_caps (Reshape, Squash)    (None, 2048, 8)", trainOut);  // 8x8x32
        Assert.InRange(LastValAccuracy(trainOut), 0.8, 1.0);  // chance is 1/3

        // Only -w: the model, the data set and its conversion all come from trained_model.json; --digit defaults to the last class, 2.
        string work = _dir.File("work");
        Directory.CreateDirectory(work);
        var (testExit, testOut, testErr) = CapsNetProcess.RunIn(work, "-t", "-w", Path.Combine(SaveDir, "trained_model.pt"));

        Assert.True(testExit == 0, testOut + testErr);
        double accuracy = double.Parse(Regex.Match(testOut, @"Test acc: ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.8, 1.0);
        using var recon = Image.Load(Path.Combine(work, "result", "real_and_recon.png"));
        using var manipulated = Image.Load(Path.Combine(work, "result", "manipulate-2.png"));
        Assert.Equal((320, 320, 24), (recon.Width, recon.Height, recon.PixelType.BitsPerPixel));
        Assert.Equal((11 * 32, 16 * 32, 24), (manipulated.Width, manipulated.Height, manipulated.PixelType.BitsPerPixel));
    }

    [Fact]
    public void HeldOutValidationUsesTheLastTrainingImages()
    {
        var (exitCode, stdout, stderr) = CapsNetProcess.Run("train", "--epochs", "1", "--train_samples", "300", "--val_samples", "50",
            "--test_samples", "7", "--batch_size", "50", "--save_dir", SaveDir);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("Data: 250 training and 50 held-out validation images from 'mnist' (1x28x28, 10 classes).", stdout);
        Assert.Contains("Epoch 1/1 5/5 ", stdout);  // 250 / 50 steps
        // Validation accuracy is a count out of the 50 held-out images, not out of the 7 test images.
        double accuracy = LastValAccuracy(stdout) * 50;
        Assert.Equal(Math.Round(accuracy), accuracy, 6);
    }

    [Fact]
    public void AHoldOutThatLeavesLessThanABatchIsRefused()
    {
        AssertRejected("--batch_size 100 is larger than the 50 training images left after --val_samples 100.",
            "train", "--train_samples", "150", "--val_samples", "100");
    }

    [Fact]
    public void ANonImageFileIsNamedWithTheCount()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(root, trainPerClass: 3, testPerClass: 1);
        File.WriteAllText(Path.Combine(root, "train", "square", "notes.txt"), "not a picture");
        File.WriteAllBytes(Path.Combine(root, "test", "square", "broken.png"), [0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

        AssertRejected($"Image folder '{root}': 2 of 14 files are not readable images: train/square/notes.txt (not an image in a known format); " +
            "test/square/broken.png (", "train", "--dataset", root);
    }

    [Fact]
    public void AnEmptyClassFolderIsNamed()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(root, trainPerClass: 3, testPerClass: 1);
        Directory.CreateDirectory(Path.Combine(root, "train", "triangle"));

        AssertRejected($"Image folder '{root}': train/triangle holds no images.", "train", "--dataset", root);
    }

    [Fact]
    public void MixedSizesWithoutImageSizeAreNamedWithTheFlag()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(root, trainPerClass: 3, testPerClass: 1);
        using (var big = new Image<Rgb24>(40, 40))
            big.SaveAsPng(Path.Combine(root, "train", "square", "big.png"));

        AssertRejected($"Image folder '{root}': images differ in size, 32x32 (train/bar-horizontal/0000.png) and 40x40 (train/square/big.png); " +
            "1 of 13 differ from the first. Give --image_size N to resize them all to NxN.", "train", "--dataset", root);
    }

    [Fact]
    public void ATestClassThatTrainingLacksIsNamed()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(root, trainPerClass: 3, testPerClass: 1);
        Directory.CreateDirectory(Path.Combine(root, "test", "circle"));
        File.Copy(Path.Combine(root, "test", "square", "0000.png"), Path.Combine(root, "test", "circle", "0000.png"));

        AssertRejected($"Image folder '{root}': test/circle is a class the model does not have (classes: bar-horizontal, bar-vertical, square).",
            "train", "--dataset", root);
    }

    [Fact]
    public void OneClassIsNotEnough()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(root, trainPerClass: 3, testPerClass: 1);
        foreach (string name in new[] { "bar-horizontal", "bar-vertical" })
        {
            Directory.Delete(Path.Combine(root, "train", name), recursive: true);
            Directory.Delete(Path.Combine(root, "test", name), recursive: true);
        }

        AssertRejected($"'{Path.Combine(root, "train")}' has 1 class folder; CapsNet needs at least 2.", "train", "--dataset", root);
    }

    [Fact]
    public void IdxLabelsOutOfRangeAreNamed()
    {
        string root = _dir.File("idx");
        Directory.CreateDirectory(root);
        using var dir = new TempDirectory();
        Data.IdxDataTests.WriteIdx(dir, CapsNet.Data.DataSplit.Train, side: 20, labels: [0, 1, 2, 1]);
        Data.IdxDataTests.WriteIdx(dir, CapsNet.Data.DataSplit.Test, side: 20, labels: [1, 9]);

        AssertRejected($"Data file '{dir.File("t10k-labels-idx1-ubyte")}': label 1 is 9, outside the 3 classes 0-2 the training labels have.",
            "train", "--dataset", dir.Path);
    }

    [Fact]
    public void ImagesTooSmallAreRefusedWithTheSmallestSide()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(root, trainPerClass: 3, testPerClass: 1, side: 16);

        AssertRejected($"Images of side 16 in '{root}' are too small for CapsNet's two 9x9 convolutions: the smallest side is 17; " +
            "give --image_size 17 or more to enlarge them.", "train", "--dataset", root);
    }

    private void AssertRejected(string expectedMessage, params string[] args)
    {
        var (exitCode, stdout, stderr) = CapsNetProcess.Run([.. args, "--save_dir", SaveDir]);

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{stdout}\n{stderr}");
        // A message ending in "(" is checked up to the library's own wording of the reason.
        Assert.True(expectedMessage.EndsWith('(') ? stderr.StartsWith($"error: {expectedMessage}") : $"error: {expectedMessage}" == stderr.Trim(), stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(SaveDir), "the output folder was created");
    }
}
