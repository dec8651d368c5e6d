using CapsNet.Data;
using static TorchSharp.torch;

namespace CapsNet.Tests.Data;

public sealed class MnistDataTests
{
    // From data/README.md: images per digit 0..9.
    private static readonly long[] TrainHistogram = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
    private static readonly long[] TestHistogram = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

    [Theory]
    [InlineData(MnistSplit.Train, 60000)]
    [InlineData(MnistSplit.Test, 10000)]
    public void ShippedFilesLoadWithTheirFullCounts(MnistSplit split, int count)
    {
        using var data = MnistData.Load(RepoPaths.MnistDir, split);

        Assert.Equal(count, data.Count);
        Assert.Equal([count, 1, 28, 28], data.Images.shape);
        Assert.Equal(ScalarType.Float32, data.Images.dtype);
        Assert.Equal(ScalarType.Int64, data.Labels.dtype);
        Assert.Equal(0f, data.Images.min().item<float>());
        Assert.Equal(1f, data.Images.max().item<float>());
        long[] histogram = data.Labels.bincount(null, 10).data<long>().ToArray();
        Assert.Equal(split == MnistSplit.Train ? TrainHistogram : TestHistogram, histogram);
    }

    [Fact]
    public void PixelsAreBytesOver255InRowMajorOrder()
    {
        byte[] images = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28, .. new byte[784]];
        images[16 + 28 * 3 + 5] = 51;   // row 3, column 5
        images[16 + 783] = 255;
        IdxFile labels = new([1], [7]);

        using var data = MnistData.FromIdx(new IdxFile([1, 28, 28], images[16..]), labels);

        Assert.Equal(0.2f, data.Images[0, 0, 3, 5].item<float>(), 6);
        Assert.Equal(1f, data.Images[0, 0, 27, 27].item<float>());
        Assert.Equal(0f, data.Images[0, 0, 5, 3].item<float>());
        Assert.Equal(7L, data.Labels[0].item<long>());
    }

    [Fact]
    public void SampleCapKeepsTheFirstImagesInOrder()
    {
        using var all = MnistData.Load(RepoPaths.MnistDir, MnistSplit.Test);
        using var first = MnistData.Load(RepoPaths.MnistDir, MnistSplit.Test, maxSamples: 300);

        Assert.Equal(300, first.Count);
        Assert.True(first.Images.equal(all.Images[..300]).all().item<bool>());
        Assert.True(first.Labels.equal(all.Labels[..300]).all().item<bool>());
    }

    [Fact]
    public void PlainUncompressedFilesAreFound()
    {
        using var dir = new TempDirectory();
        foreach (string name in new[] { "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(RepoPaths.MnistDir, name + ".gz")), System.IO.Compression.CompressionMode.Decompress);
            using var plain = File.Create(dir.File(name));
            gzip.CopyTo(plain);
        }

        using var data = MnistData.Load(dir.Path, MnistSplit.Test, maxSamples: 10);

        Assert.Equal(10, data.Count);
    }

    [Fact]
    public void MissingFolderIsNamed()
    {
        var error = Assert.Throws<UserInputException>(() => MnistData.Load("/nonexistent/mnist", MnistSplit.Train));

        Assert.Equal("Data folder '/nonexistent/mnist' not found; point --data_dir at the folder holding the MNIST files.", error.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(RepoPaths.MnistDir, "t10k-images-idx3-ubyte.gz"), dir.File("t10k-images-idx3-ubyte.gz"));

        var error = Assert.Throws<UserInputException>(() => MnistData.Load(dir.Path, MnistSplit.Test));

        Assert.Equal($"MNIST file '{dir.File("t10k-labels-idx1-ubyte.gz")}' not found (nor 't10k-labels-idx1-ubyte' uncompressed) in '{dir.Path}'.", error.Message);
    }

    [Fact]
    public void CorruptShippedCopyFailsItsChecksum()
    {
        using var dir = new TempDirectory();
        byte[] labels = [0, 0, 8, 1, 0, 0, 39, 16, .. new byte[10000]];
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte"), labels);
        File.Copy(Path.Combine(RepoPaths.MnistDir, "t10k-images-idx3-ubyte.gz"), dir.File("t10k-images-idx3-ubyte.gz"));

        var error = Assert.Throws<UserInputException>(() => MnistData.Load(dir.Path, MnistSplit.Test));

        Assert.Contains("t10k-labels-idx1-ubyte' fails its checksum", error.Message);
        Assert.Contains("expected 27ae3e4e09519cfbb04c329615203637", error.Message);
    }

    [Fact]
    public void ImageAndLabelCountsMustAgree()
    {
        var images = new IdxFile([2, 28, 28], new byte[2 * 784]);
        var labels = new IdxFile([3], [1, 2, 3]);

        var error = Assert.Throws<UserInputException>(() => MnistData.FromIdx(images, labels));

        Assert.Equal("MNIST has 2 images but 3 labels.", error.Message);
    }

    [Fact]
    public void ImagesMustBe28By28()
    {
        var images = new IdxFile([1, 32, 32], new byte[1024]);
        var labels = new IdxFile([1], [1]);

        var error = Assert.Throws<UserInputException>(() => MnistData.FromIdx(images, labels));

        Assert.Equal("MNIST images must be 28x28, found 32x32.", error.Message);
    }

    [Fact]
    public void LabelsAboveNineAreRejected()
    {
        var images = new IdxFile([2, 28, 28], new byte[2 * 784]);
        var labels = new IdxFile([2], [3, 12]);

        var error = Assert.Throws<UserInputException>(() => MnistData.FromIdx(images, labels));

        Assert.Equal("MNIST label 1 is 12, outside 0-9.", error.Message);
    }
}
