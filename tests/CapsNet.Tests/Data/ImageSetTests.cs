using CapsNet.Data;
using static TorchSharp.torch;

namespace CapsNet.Tests.Data;

public sealed class ImageSetTests
{
    [Theory]
    [InlineData(ScalarType.Float32, new long[] { 2, 1, 28, 28 }, "Pixels must be bytes [N,C,side,side], got Float32 [2,1,28,28].")]
    [InlineData(ScalarType.Byte, new long[] { 2, 28, 28 }, "Pixels must be bytes [N,C,side,side], got Byte [2,28,28].")]
    [InlineData(ScalarType.Byte, new long[] { 2, 1, 28, 32 }, "Pixels must be bytes [N,C,side,side], got Byte [2,1,28,32].")]
    public void PixelsMustBeBytesOfSquareImages(ScalarType dtype, long[] shape, string expected)
    {
        using Tensor pixels = zeros(shape, dtype);
        using Tensor labels = zeros(2, ScalarType.Int64);

        var error = Assert.Throws<ArgumentException>(() => new ImageSet(pixels, labels));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void EveryImageNeedsOneLabel()
    {
        using Tensor pixels = zeros([2, 1, 28, 28], ScalarType.Byte);
        using Tensor labels = zeros(3, ScalarType.Int64);

        var error = Assert.Throws<ArgumentException>(() => new ImageSet(pixels, labels));

        Assert.Equal("2 images but 3 labels.", error.Message);
    }

    [Fact]
    public void ADataSetDescribesItsShapeAndClasses()
    {
        using var data = new DataSet("shapes", ["a", "b", "c"], train: null,
            new ImageSet(zeros([4, 3, 32, 32], ScalarType.Byte), zeros(4, ScalarType.Int64)));

        Assert.Equal("3x32x32, 3 classes", data.Describe());
    }
}
