using CapsNet.Data;
using CapsNet.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CapsNet.Tests.Imaging;

public sealed class DigitPreprocessingTests
{
    private static float MeanDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();

    /// <summary>
    /// An MNIST test digit redrawn as a user would photograph it: dark ink on a light grey page, three times as
    /// large, off-centre on a wider canvas, saved as JPEG. MNIST's preparation must give back the original.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void ADigitRedrawnDarkOnLightLargeOffCentreAndJpegComesBack(int index)
    {
        using ImageSet test = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Test, 10);
        float[] original = test.Images(index, 1).data<float>().ToArray();
        using var digit = new Image<Rgb24>(28, 28);
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                byte page = (byte)(230 - 200 * original[y * 28 + x]);  // ink 30, page 230
                digit[x, y] = new Rgb24(page, page, page);
            }
        digit.Mutate(c => c.Resize(84, 84));
        using var canvas = new Image<Rgb24>(200, 130, new Rgb24(230, 230, 230));
        canvas.Mutate(c => c.DrawImage(digit, new Point(17, 31), 1f));
        using var jpeg = new MemoryStream();
        canvas.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 90 });
        jpeg.Position = 0;
        using var photo = Image.Load<Rgb24>(jpeg);

        float[] prepared = DigitPreprocessing.Prepare(photo, 28);

        // The bound: closer to the original than the original is to itself moved by one pixel (0.052-0.067 mean
        // absolute difference on [0,1] for these digits), and at most 0.06. Measured: 0.016, 0.045 and 0.055; the
        // rest is the 3x enlargement and reduction and JPEG. A digit already prepared comes back unchanged.
        float photographed = MeanDifference(prepared, original);
        float onePixelOff = MeanDifference(original, Shift(original, 1));
        Assert.True(photographed < onePixelOff, $"the photo gives {photographed}, one pixel off gives {onePixelOff}");
        Assert.InRange(photographed, 0, 0.06f);
        Assert.Equal(0f, MeanDifference(DigitPreprocessing.Prepare(ToImage(original), 28), original), 3);
    }

    [Fact]
    public void ABlankPageGivesABlankField()
    {
        using var page = new Image<Rgb24>(50, 40, new Rgb24(255, 255, 255));

        Assert.All(DigitPreprocessing.Prepare(page, 28), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void OtherSidesScaleTheBoxAndTheField()
    {
        using ImageSet test = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Test, 1);

        float[] prepared = DigitPreprocessing.Prepare(ToImage(test.Images(0, 1).data<float>().ToArray()), 56);

        Assert.Equal(56 * 56, prepared.Length);
        var rows = Enumerable.Range(0, 56).Where(y => Enumerable.Range(0, 56).Any(x => prepared[y * 56 + x] > 0.25f)).ToArray();
        Assert.InRange(rows[^1] - rows[0] + 1, 38, 41);  // the 7's height fills the 40-pixel box
    }

    private static Image<Rgb24> ToImage(float[] grey)
    {
        int side = (int)Math.Sqrt(grey.Length);
        var image = new Image<Rgb24>(side, side);
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                byte v = (byte)Math.Round(255 * grey[y * side + x]);
                image[x, y] = new Rgb24(v, v, v);
            }
        return image;
    }

    private static float[] Shift(float[] image, int dx)
    {
        var shifted = new float[image.Length];
        for (int y = 0; y < 28; y++)
            for (int x = 0; x + dx < 28; x++)
                shifted[y * 28 + x + dx] = image[y * 28 + x];
        return shifted;
    }
}
