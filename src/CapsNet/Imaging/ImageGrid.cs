using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace CapsNet.Imaging;

/// <summary>Tiles images into a PNG, row by row: 8-bit grey for one channel, RGB for three.</summary>
internal static class ImageGrid
{
    /// <summary>
    /// Lays out <paramref name="images"/> [N,C,H,W] (C = 1 or 3) in [0,1] as a grid of <paramref name="columns"/>
    /// columns, filling rows left to right; pixel = truncate(x*255).
    /// </summary>
    public static Image Compose(Tensor images, int columns)
    {
        int count = (int)images.shape[0], channels = (int)images.shape[1], height = (int)images.shape[2], width = (int)images.shape[3];
        if (channels is not (1 or 3))
            throw new ArgumentException($"Images must have 1 or 3 channels, not {channels}.");
        int rows = (count + columns - 1) / columns;
        float[] pixels;
        using (NewDisposeScope())  // holds the temporaries: unheld, another thread's collection could free one in use
            pixels = images.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        int plane = height * width;
        // Value of channel c at (x, y) of the grid, or null where no tile is.
        byte? At(int x, int y, int c)
        {
            int tile = y / height * columns + x / width;
            return tile < count ? ToByte(pixels[(tile * channels + c) * plane + y % height * width + x % width]) : null;
        }

        if (channels == 1)
            return Fill(new Image<L8>(columns * width, rows * height), (x, y) => At(x, y, 0) is byte v ? new L8(v) : default);
        return Fill(new Image<Rgb24>(columns * width, rows * height),
            (x, y) => At(x, y, 0) is byte r ? new Rgb24(r, At(x, y, 1)!.Value, At(x, y, 2)!.Value) : default);
    }

    public static void Save(Image image, string path) => AtomicFile.Write(path, stream => image.SaveAsPng(stream));

    /// <summary>truncate(x*255) to a byte, as the reference's <c>(image*255).astype(np.uint8)</c> after clipping.</summary>
    public static byte ToByte(float value) => (byte)Math.Clamp((int)(value * 255f), 0, 255);

    private static Image<TPixel> Fill<TPixel>(Image<TPixel> image, Func<int, int, TPixel> pixel)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        image.ProcessPixelRows(access =>
        {
            for (int y = 0; y < access.Height; y++)
            {
                Span<TPixel> line = access.GetRowSpan(y);
                for (int x = 0; x < access.Width; x++)
                    line[x] = pixel(x, y);
            }
        });
        return image;
    }
}
