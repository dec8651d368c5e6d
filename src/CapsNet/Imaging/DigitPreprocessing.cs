using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CapsNet.Imaging;

/// <summary>
/// MNIST's own preparation of a digit (LeCun et al.), so that a photo or scan of one looks like the training
/// data: grey, light ink on a dark page, cropped to the ink, fitted into a 20x20 box keeping its aspect, and
/// placed in a 28x28 field with its centre of mass at the centre. Other sides scale the 20 and the 28 alike.
/// </summary>
internal static class DigitPreprocessing
{
    public const int MnistBox = 20;
    public const int MnistSide = 28;

    /// <summary>Ink is what stands above this fraction of the strongest stroke; fainter marks are noise or paper.</summary>
    public const float InkThreshold = 0.25f;

    /// <summary>The digit in <paramref name="image"/> as grey pixels [side*side] in [0,1], row-major.</summary>
    public static float[] Prepare(Image<Rgb24> image, int side)
    {
        float[] ink = InkOnDark(image, out int width, out int height);
        float strongest = ink.Max();
        if (strongest <= 0)
            return new float[side * side];  // a blank page stays blank

        // Crop to the ink's bounding box.
        int left = width, right = -1, top = height, bottom = -1;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                if (ink[y * width + x] > InkThreshold * strongest)
                    (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
        int cropWidth = right - left + 1, cropHeight = bottom - top + 1;

        // Fit into the box keeping the aspect ratio, ink at full strength as in MNIST.
        int box = Box(side);
        double scale = (double)box / Math.Max(cropWidth, cropHeight);
        int fitWidth = Math.Max(1, (int)Math.Round(cropWidth * scale)), fitHeight = Math.Max(1, (int)Math.Round(cropHeight * scale));
        using var cropped = new Image<L16>(cropWidth, cropHeight);
        for (int y = 0; y < cropHeight; y++)
            for (int x = 0; x < cropWidth; x++)
                cropped[x, y] = new L16((ushort)Math.Round(ink[(top + y) * width + left + x] / strongest * ushort.MaxValue));
        cropped.Mutate(c => c.Resize(fitWidth, fitHeight));

        // Place it with its centre of mass at the centre of the field.
        var fitted = new float[fitWidth * fitHeight];
        double mass = 0, massX = 0, massY = 0;
        for (int y = 0; y < fitHeight; y++)
            for (int x = 0; x < fitWidth; x++)
            {
                float v = cropped[x, y].PackedValue / (float)ushort.MaxValue;
                fitted[y * fitWidth + x] = v;
                mass += v;
                massX += v * x;
                massY += v * y;
            }
        double centre = side / 2.0;  // where MNIST's digits have their centre of mass: (14, 14) in 28x28
        int offsetX = (int)Math.Round(centre - massX / mass), offsetY = (int)Math.Round(centre - massY / mass);
        var field = new float[side * side];
        for (int y = 0; y < fitHeight; y++)
            for (int x = 0; x < fitWidth; x++)
            {
                int fx = x + offsetX, fy = y + offsetY;
                if (fx >= 0 && fx < side && fy >= 0 && fy < side)
                    field[fy * side + fx] = fitted[y * fitWidth + x];
            }
        return field;
    }

    /// <summary>The side of the box the digit is fitted into: 20 in MNIST's 28, in proportion for other sides.</summary>
    public static int Box(int side) => (int)Math.Round(MnistBox * side / (double)MnistSide);

    /// <summary>
    /// BT.709 grey in [0,1], turned so the ink is light on a dark page (inverted when the page, judged by the
    /// border pixels, is the lighter), with the page's own level taken off.
    /// </summary>
    private static float[] InkOnDark(Image<Rgb24> image, out int width, out int height)
    {
        int w = width = image.Width, h = height = image.Height;
        float[] grey = Grey(image);
        var border = new List<float>();
        for (int x = 0; x < w; x++)
            border.AddRange([grey[x], grey[(h - 1) * w + x]]);
        for (int y = 1; y < h - 1; y++)
            border.AddRange([grey[y * w], grey[y * w + w - 1]]);
        border.Sort();
        float page = border[border.Count / 2];
        bool invert = page > 0.5f;
        for (int p = 0; p < grey.Length; p++)
            grey[p] = Math.Max(0, (invert ? 1 - grey[p] : grey[p]) - (invert ? 1 - page : page));
        return grey;
    }

    /// <summary>The picture's BT.709 grey [height*width] in [0,1], 0 black, row-major: what the preparation starts from.</summary>
    public static float[] Grey(Image<Rgb24> image)
    {
        int w = image.Width, h = image.Height;
        var grey = new float[w * h];
        image.ProcessPixelRows(access =>
        {
            for (int y = 0; y < h; y++)
            {
                Span<Rgb24> row = access.GetRowSpan(y);
                for (int x = 0; x < w; x++)
                    grey[y * w + x] = (row[x].R * 0.2126f + row[x].G * 0.7152f + row[x].B * 0.0722f) / 255f;
            }
        });
        return grey;
    }
}
