using CapsNet.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace CapsNet.Tests.Imaging;

public sealed class ImageGridTests
{
    [Theory]
    [InlineData(0f, 0)]
    [InlineData(0.5f, 127)]      // 127.5 truncated
    [InlineData(0.999f, 254)]    // 254.745 truncated
    [InlineData(1f, 255)]
    [InlineData(-0.2f, 0)]
    [InlineData(1.3f, 255)]
    public void PixelIsTruncatedTimes255(float value, byte expected)
    {
        Assert.Equal(expected, ImageGrid.ToByte(value));
    }

    [Fact]
    public void TilesFillRowsLeftToRightAndLeaveMissingTilesBlack()
    {
        // Three 2x3 images, each a single value: 0.2, 0.4, 0.6; two columns -> a 2x2 grid of tiles, 6 wide, 4 high.
        using var images = tensor(new[] { 0.2f, 0.4f, 0.6f }).view(3, 1, 1, 1).expand(3, 1, 2, 3).contiguous();

        using var image = (Image<L8>)ImageGrid.Compose(images, columns: 2);

        Assert.Equal((6, 4), (image.Width, image.Height));
        Assert.Equal(51, image[0, 0].PackedValue);   // tile 0 at (0,0): 0.2*255 = 51
        Assert.Equal(51, image[2, 1].PackedValue);
        Assert.Equal(102, image[3, 0].PackedValue);  // tile 1 at column 1: 0.4*255 = 102
        Assert.Equal(102, image[5, 1].PackedValue);
        Assert.Equal(153, image[0, 2].PackedValue);  // tile 2 on the second row: 0.6*255 = 153
        Assert.Equal(153, image[2, 3].PackedValue);
        Assert.Equal(0, image[3, 2].PackedValue);    // no tile 3
        Assert.Equal(0, image[5, 3].PackedValue);
    }

    [Fact]
    public void PixelsKeepTheirPositionInsideATile()
    {
        using var images = zeros(1, 1, 28, 28);
        images[0, 0, 3, 17] = 1f;

        using var image = (Image<L8>)ImageGrid.Compose(images, columns: 1);

        Assert.Equal(255, image[17, 3].PackedValue);  // x = column, y = row
        Assert.Equal(0, image[3, 17].PackedValue);
    }

    [Fact]
    public void ThreeChannelsGiveAnRgbImage()
    {
        // One 1x2 image: pixel 0 is (0.2, 0.4, 0.6), pixel 1 is (1, 0, 0).
        using var images = tensor(new[] { 0.2f, 1f, 0.4f, 0f, 0.6f, 0f }).view(1, 3, 1, 2);

        using var image = (Image<Rgb24>)ImageGrid.Compose(images, columns: 1);

        Assert.Equal(new Rgb24(51, 102, 153), image[0, 0]);
        Assert.Equal(new Rgb24(255, 0, 0), image[1, 0]);
    }
}
