using CapsNet.Cli;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CapsNet.Tests.Cli;

/// <summary>
/// Bad data refused before training starts, through the command line in this process: one message naming the
/// problem, exit code 1, and no output folder. BadInputTests check that the real process reports errors this way.
/// </summary>
public sealed class DataSetRejectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SaveDir => _dir.File("out");

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

        AssertRejected($"Image folder '{root}': 2 of 14 files are not readable images: train/square/notes.txt (not an image in a known " +
            "format); " +
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

        AssertRejected($"Image folder '{root}': images differ in size, 32x32 (train/bar-horizontal/0000.png) and 40x40 " +
            "(train/square/big.png); " +
            "1 of 13 differ from the first. Give --image_size N to resize them all to NxN.", "train", "--dataset", root);
    }

    [Fact]
    public void ATestClassThatTrainingLacksIsNamed()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(root, trainPerClass: 3, testPerClass: 1);
        Directory.CreateDirectory(Path.Combine(root, "test", "circle"));
        File.Copy(Path.Combine(root, "test", "square", "0000.png"), Path.Combine(root, "test", "circle", "0000.png"));

        AssertRejected($"Image folder '{root}': test/circle is a class the model does not have (classes: bar-horizontal, bar-vertical, " +
            "square).",
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

        AssertRejected($"Data file '{dir.File("t10k-labels-idx1-ubyte")}': label 1 is 9, outside the 3 classes 0-2 the training labels " +
            "have.",
            "train", "--dataset", dir.Path);
    }

    [Fact]
    public void ImagesTooSmallAreRefusedWithTheSmallestSide()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(root, trainPerClass: 3, testPerClass: 1, side: 16);

        AssertRejected($"Images of side 16 in '{root}' are too small for CapsNet's two 9x9 convolutions: the smallest side is 17. " +
            "Give --image_size 17 or more to enlarge them.", "train", "--dataset", root);
    }

    private void AssertRejected(string expectedMessage, params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int exitCode = CapsNetApp.Run([.. args, "--save_dir", SaveDir], TestConsole.Create(output), errors);
        string stderr = errors.ToString();

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{output}\n{stderr}");
        // A message ending in "(" is checked up to the library's own wording of the reason.
        Assert.True(expectedMessage.EndsWith('(') ? stderr.StartsWith($"error: {expectedMessage}") : $"error: " +
            $"{expectedMessage}" == stderr.Trim(), stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(SaveDir), "the output folder was created");
    }
}
