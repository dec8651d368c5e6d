using CapsNet.Data;
using CapsNet.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace CapsNet.Tests.Imaging;

public sealed class ImageReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// An MNIST test digit as a web canvas saves it: the ink's strength in alpha, its colour <paramref name="ink"/>, the rest transparent
    /// black.
    /// </summary>
    private static Image<Rgba32> CanvasDigit(float[] digit, byte ink)
    {
        var canvas = new Image<Rgba32>(28, 28);
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                byte alpha = (byte)Math.Round(255 * digit[y * 28 + x]);
                canvas[x, y] = alpha == 0 ? new Rgba32(0, 0, 0, 0) : new Rgba32(ink, ink, ink, alpha);
            }
        return canvas;
    }

    [Theory]
    [InlineData(0, 255)]  // black ink: a white page
    [InlineData(255, 0)]  // white ink: a black page
    public void InkOnATransparentCanvasLiesOnThePageThatShowsIt(byte ink, byte page)
    {
        using ImageSet test = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Test, 1);
        float[] digit = test.Images(0, 1).data<float>().ToArray();
        string path = _dir.File("canvas.png");
        using (Image<Rgba32> canvas = CanvasDigit(digit, ink))
            canvas.SaveAsPng(path);

        using Image<Rgb24> read = ImageReader.Read(path);
        using Image<Rgb24> alphaDropped = Image.Load<Rgb24>(path);

        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                double alpha = Math.Round(255 * digit[y * 28 + x]) / 255;
                byte expected = (byte)Math.Round(ink * alpha + page * (1 - alpha));
                Assert.Equal(new Rgb24(expected, expected, expected), read[x, y]);
            }
        // Prepared as MNIST's digits are, it is the digit again; with its alpha dropped (as before) a black page and black ink leave
        // nothing.
        float[] prepared = DigitPreprocessing.Prepare(read, 28);
        Assert.InRange(prepared.Zip(DigitPreprocessing.Prepare(ToImage(digit), 28), (a, b) => Math.Abs(a - b)).Max(), 0, 0.01f);
        if (ink == 0)
            Assert.All(DigitPreprocessing.Prepare(alphaDropped, 28), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void PartlyTransparentColoursBlendWithThePageAndOpaqueOnesStay()
    {
        string path = _dir.File("colours.png");
        using (var image = new Image<Rgba32>(3, 1))
        {
            image[0, 0] = new Rgba32(200, 100, 0, 128);
            image[1, 0] = new Rgba32(10, 20, 30, 255);
            image[2, 0] = new Rgba32(90, 180, 45, 0);
            image.SaveAsPng(path);
        }

        using Image<Rgb24> read = ImageReader.Read(path);

        // Visible pixels average dark: a white page. 200*128/255 + 255*127/255 = 227.39; 100 -> 177.2; 0 -> 127.0.
        Assert.Equal(new Rgb24(227, 177, 127), read[0, 0]);
        Assert.Equal(new Rgb24(10, 20, 30), read[1, 0]);
        Assert.Equal(new Rgb24(255, 255, 255), read[2, 0]);
    }

    [Theory]
    [InlineData("palette.png")]
    [InlineData("canvas.gif")]
    [InlineData("canvas.webp")]
    public void TransparencyInPalettesGifsAndWebpIsLaidOnThePageToo(string name)
    {
        string path = _dir.File(name);
        using (var image = new Image<Rgba32>(4, 4, new Rgba32(0, 0, 0, 0)))
        {
            image[1, 2] = new Rgba32(0, 0, 0, 255);
            IImageEncoder encoder = Path.GetExtension(name) switch
            {
                ".png" => new PngEncoder { ColorType = PngColorType.Palette },
                ".gif" => new GifEncoder(),
                _ => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
            };
            image.Save(path, encoder);
        }

        using Image<Rgb24> read = ImageReader.Read(path);

        Assert.Equal(new Rgb24(0, 0, 0), read[1, 2]);
        Assert.Equal(new Rgb24(255, 255, 255), read[0, 0]);
        Assert.Equal(new Rgb24(255, 255, 255), read[3, 3]);
    }

    private static Image<Rgb24> ToImage(float[] grey)
    {
        var image = new Image<Rgb24>(28, 28);
        for (int p = 0; p < grey.Length; p++)
        {
            byte v = (byte)Math.Round(255 * grey[p]);
            image[p % 28, p / 28] = new Rgb24(v, v, v);
        }
        return image;
    }
}
