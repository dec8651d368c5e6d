using System.IO.Compression;
using CapsNet.Data;
using static TorchSharp.torch;

namespace CapsNet.Tests.Data;

public sealed class IdxDataTests
{
    // From data/README.md: images per class 0..9.
    private static readonly long[] MnistTrainHistogram = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
    private static readonly long[] MnistTestHistogram = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

    [Fact]
    public void ShippedMnistLoadsWithItsFullCountsAndDigitNames()
    {
        using var data = DataSets.Load(new DataRequest("mnist"));

        Assert.Equal("mnist", data.Name);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], data.ClassNames);
        Assert.Equal([60000, 1, 28, 28], data.Train!.Pixels.shape);
        Assert.Equal([10000, 1, 28, 28], data.Test.Pixels.shape);
        Assert.Equal(ScalarType.Byte, data.Test.Pixels.dtype);
        Assert.Equal(ScalarType.Int64, data.Test.Labels.dtype);
        Assert.Equal(255, data.Test.Pixels.max().item<byte>());
        Assert.Equal(MnistTrainHistogram, data.Train.Labels.bincount(null, 10).data<long>().ToArray());
        Assert.Equal(MnistTestHistogram, data.Test.Labels.bincount(null, 10).data<long>().ToArray());
    }

    [Fact]
    public void ShippedFashionMnistHasItsCountsAndClassNames()
    {
        using var data = DataSets.Load(new DataRequest("fashion-mnist"));

        Assert.Equal(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
            data.ClassNames);
        Assert.Equal([60000, 1, 28, 28], data.Train!.Pixels.shape);
        Assert.Equal([10000, 1, 28, 28], data.Test.Pixels.shape);
        Assert.All(data.Train.Labels.bincount(null, 10).data<long>().ToArray(), n => Assert.Equal(6000, n));
        Assert.All(data.Test.Labels.bincount(null, 10).data<long>().ToArray(), n => Assert.Equal(1000, n));
    }

    [Fact]
    public void FashionMnistInAFolderIsAnIdxSetWithoutChecksumOrNames()
    {
        string folder = Path.Combine(RepoPaths.Root, "data", "fashion-mnist");

        using var data = DataSets.Load(new DataRequest(folder, WithTrain: false, TestSamples: 50));

        Assert.Equal(folder, data.Name);
        Assert.Equal(50, data.Test.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(c => c.ToString()), data.ClassNames);
    }

    [Fact]
    public void PixelsAreBytesAndImagesTheirValueOver255InRowMajorOrder()
    {
        byte[] images = new byte[784];
        images[28 * 3 + 5] = 51;   // row 3, column 5
        images[783] = 255;

        using var set = IdxFolder.FromIdx(new IdxFile([1, 28, 28], images), new IdxFile([1], [7]));
        using Tensor floats = set.Images(0, 1);

        Assert.Equal(51, set.Pixels[0, 0, 3, 5].item<byte>());
        Assert.Equal(0.2f, floats[0, 0, 3, 5].item<float>(), 6);
        Assert.Equal(1f, floats[0, 0, 27, 27].item<float>());
        Assert.Equal(0f, floats[0, 0, 5, 3].item<float>());
        Assert.Equal(7L, set.Labels[0].item<long>());
    }

    [Fact]
    public void SampleCapKeepsTheFirstImagesInOrder()
    {
        using var all = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Test);
        using var first = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Test, maxSamples: 300);

        Assert.Equal(300, first.Count);
        Assert.True(first.Pixels.equal(all.Pixels[..300]).all().item<bool>());
        Assert.True(first.Labels.equal(all.Labels[..300]).all().item<bool>());
    }

    [Fact]
    public void AnIdxFolderOfAnotherSideAndClassCountLoads()
    {
        using var dir = new TempDirectory();
        WriteIdx(dir, DataSplit.Train, side: 20, labels: [0, 4, 2, 1, 3, 4]);
        WriteIdx(dir, DataSplit.Test, side: 20, labels: [4, 0]);

        using var data = DataSets.Load(new DataRequest(dir.Path));

        Assert.Equal(["0", "1", "2", "3", "4"], data.ClassNames);
        Assert.Equal([6, 1, 20, 20], data.Train!.Pixels.shape);
        Assert.Equal(20, data.Side);
    }

    [Fact]
    public void PlainUncompressedFilesAreFound()
    {
        using var dir = new TempDirectory();
        foreach (string name in new[] { "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            using var gzip = new GZipStream(File.OpenRead(Path.Combine(RepoPaths.MnistDir, name + ".gz")), CompressionMode.Decompress);
            using var plain = File.Create(dir.File(name));
            gzip.CopyTo(plain);
        }

        using var data = IdxFolder.Load(dir.Path, DataSplit.Test, maxSamples: 10);

        Assert.Equal(10, data.Count);
    }

    [Fact]
    public void UnknownNameOrMissingFolderIsNamed()
    {
        var error = Assert.Throws<UserInputException>(() => DataSets.Load(new DataRequest("/nonexistent/mnist")));

        Assert.Equal("Data set '/nonexistent/mnist' is neither a known data set (mnist, fashion-mnist, multimnist) nor a folder.",
            error.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(RepoPaths.MnistDir, "t10k-images-idx3-ubyte.gz"), dir.File("t10k-images-idx3-ubyte.gz"));

        var error = Assert.Throws<UserInputException>(() => IdxFolder.Load(dir.Path, DataSplit.Test));

        Assert.Equal($"IDX file '{dir.File("t10k-labels-idx1-ubyte.gz")}' not found (nor 't10k-labels-idx1-ubyte' uncompressed) in " +
            $"'{dir.Path}'.", error.Message);
    }

    [Fact]
    public void CorruptKnownFileFailsItsChecksum()
    {
        using var dir = new TempDirectory();
        byte[] labels = [0, 0, 8, 1, 0, 0, 39, 16, .. new byte[10000]];
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte"), labels);
        File.Copy(Path.Combine(RepoPaths.MnistDir, "t10k-images-idx3-ubyte.gz"), dir.File("t10k-images-idx3-ubyte.gz"));

        var error = Assert.Throws<UserInputException>(() => IdxFolder.Load(dir.Path, DataSplit.Test, md5: KnownDataSet.Mnist.Md5));

        Assert.Contains("t10k-labels-idx1-ubyte' fails its checksum", error.Message);
        Assert.Contains("expected 27ae3e4e09519cfbb04c329615203637", error.Message);
    }

    [Fact]
    public void CorruptKnownImagesFailTheirChecksum()
    {
        using var dir = new TempDirectory();
        byte[] images = [0, 0, 8, 3, 0, 0, 39, 16, 0, 0, 0, 28, 0, 0, 0, 28, .. new byte[10000 * 28 * 28]];
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte"), images);
        File.Copy(Path.Combine(RepoPaths.MnistDir, "t10k-labels-idx1-ubyte.gz"), dir.File("t10k-labels-idx1-ubyte.gz"));

        var error = Assert.Throws<UserInputException>(() => IdxFolder.Load(dir.Path, DataSplit.Test, md5: KnownDataSet.Mnist.Md5));

        Assert.Contains("t10k-images-idx3-ubyte' fails its checksum", error.Message);
        Assert.Contains("expected 2646ac647ad5339dbf082846283269ea", error.Message);
    }

    [Fact]
    public void ImageAndLabelCountsMustAgree()
    {
        var images = new IdxFile([2, 28, 28], new byte[2 * 784]);
        var labels = new IdxFile([3], [1, 2, 3]);

        var error = Assert.Throws<UserInputException>(() => IdxFolder.FromIdx(images, labels));

        Assert.Equal("The IDX files hold 2 images but 3 labels.", error.Message);
    }

    [Fact]
    public void ImagesMustBeSquare()
    {
        var images = new IdxFile([1, 28, 32], new byte[28 * 32]);
        var labels = new IdxFile([1], [1]);

        var error = Assert.Throws<UserInputException>(() => IdxFolder.FromIdx(images, labels));

        Assert.Equal("IDX images must be square, found 28x32.", error.Message);
    }

    [Fact]
    public void TestLabelsBeyondTheTrainingClassesAreRejected()
    {
        using var dir = new TempDirectory();
        WriteIdx(dir, DataSplit.Train, side: 20, labels: [0, 1, 2, 1]);
        WriteIdx(dir, DataSplit.Test, side: 20, labels: [1, 3]);  // 3: the first label past the training classes

        var error = Assert.Throws<UserInputException>(() => DataSets.Load(new DataRequest(dir.Path)));

        Assert.Equal($"Data file '{dir.File("t10k-labels-idx1-ubyte")}': label 1 is 3, outside the 3 classes 0-2 the training labels have.",
            error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0, 1, 255, 1 }, "classes 2, 3, 4, 5, 6 and 248 more have")]  // one stray label would make 256 classes
    [InlineData(new byte[] { 0, 2, 2, 0 }, "class 1 has")]
    public void AClassWithoutTrainingImagesIsRefusedNamingIt(byte[] labels, string which)
    {
        using var dir = new TempDirectory();
        WriteIdx(dir, DataSplit.Train, side: 20, labels: labels);
        WriteIdx(dir, DataSplit.Test, side: 20, labels: [0, 1]);

        var error = Assert.Throws<UserInputException>(() => DataSets.Load(new DataRequest(dir.Path)));

        Assert.Equal($"Data file '{dir.File("train-labels-idx1-ubyte")}': the labels run from 0 to {labels.Max()}, but {which} no image " +
            "among the 4 training images. Every class needs some.", error.Message);
    }

    [Fact]
    public void KnownLabelsBeyondTheClassNamesAreRejected()
    {
        using var dir = new TempDirectory();
        WriteIdx(dir, DataSplit.Test, side: 20, labels: [1, 12]);

        var error = Assert.Throws<UserInputException>(() =>
            DataSets.Load(new DataRequest(dir.Path, WithTrain: false, ClassNames: ["a", "b", "c"])));

        Assert.Equal($"Data file '{dir.File("t10k-labels-idx1-ubyte")}': label 1 is 12, outside the 3 classes 0-2.", error.Message);
    }

    [Fact]
    public void OneClassIsRefused()
    {
        using var dir = new TempDirectory();
        WriteIdx(dir, DataSplit.Train, side: 20, labels: [0, 0]);
        WriteIdx(dir, DataSplit.Test, side: 20, labels: [0]);

        var error = Assert.Throws<UserInputException>(() => DataSets.Load(new DataRequest(dir.Path)));

        Assert.Equal($"Data folder '{dir.Path}' has labels of 1 class; CapsNet needs at least 2.", error.Message);
    }

    [Fact]
    public void TwoClassesAreEnough()
    {
        using var dir = new TempDirectory();
        WriteIdx(dir, DataSplit.Train, side: 20, labels: [0, 1, 1]);
        WriteIdx(dir, DataSplit.Test, side: 20, labels: [1, 0]);

        using var data = DataSets.Load(new DataRequest(dir.Path));

        Assert.Equal(["0", "1"], data.ClassNames);
    }

    [Fact]
    public void ALabelOutOfRangeIsFoundAtTheFirstPosition()
    {
        using var dir = new TempDirectory();
        WriteIdx(dir, DataSplit.Train, side: 20, labels: [0, 1, 2, 1]);
        WriteIdx(dir, DataSplit.Test, side: 20, labels: [5, 1]);

        var error = Assert.Throws<UserInputException>(() => DataSets.Load(new DataRequest(dir.Path)));

        Assert.Equal($"Data file '{dir.File("t10k-labels-idx1-ubyte")}': label 0 is 5, outside the 3 classes 0-2 the training labels have.",
            error.Message);
    }

    [Theory]
    [InlineData(null, 32, "1x32x32")]
    [InlineData(3, null, "3x20x20")]
    public void IdxImagesAreNotConvertedToAnotherShape(int? channels, int? imageSize, string asked)
    {
        using var dir = new TempDirectory();
        WriteIdx(dir, DataSplit.Test, side: 20, labels: [0, 1]);

        var error = Assert.Throws<UserInputException>(() =>
            DataSets.Load(new DataRequest(dir.Path, WithTrain: false, Channels: channels, ImageSize: imageSize, ClassNames: ["a", "b"])));

        Assert.Equal($"Data folder '{dir.Path}' holds 1x20x20 images, not the {asked} asked for.", error.Message);
    }

    [Fact]
    public void AFolderOfNeitherKindIsNamed()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("readme.txt"), "no data here");

        var error = Assert.Throws<UserInputException>(() => DataSets.Load(new DataRequest(dir.Path)));

        Assert.Equal($"Data folder '{dir.Path}' holds neither the four MNIST-format IDX files nor train/ and test/ folders of images.",
            error.Message);
    }

    [Fact]
    public void AKnownSetWithoutItsFolderIsNamed()
    {
        var absent = new KnownDataSet("no-such-set", ["a", "b"], new Dictionary<string, string>());

        var error = Assert.Throws<UserInputException>(() => absent.Folder());

        Assert.Equal($"The no-such-set data set is not here: no folder '{Path.Combine("data", "no-such-set")}' in the current folder or " +
            "above the program.", error.Message);
    }

    /// <summary>Plain IDX files of one split: blank images of <paramref name="side"/> and the given labels.</summary>
    internal static void WriteIdx(TempDirectory dir, DataSplit split, int side, byte[] labels)
    {
        static byte[] BigEndian(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
        File.WriteAllBytes(dir.File(IdxFolder.ImagesName(split)),
            [.. BigEndian(IdxFile.ImagesMagic), .. BigEndian(labels.Length), .. BigEndian(side), .. BigEndian(side),
                .. new byte[labels.Length * side * side]]);
        File.WriteAllBytes(dir.File(IdxFolder.LabelsName(split)), [.. BigEndian(IdxFile.LabelsMagic), .. BigEndian(labels.Length),
            .. labels]);
    }
}
