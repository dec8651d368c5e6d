using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace CapsNet.Imaging;

/// <summary>Tiles single-channel images into an 8-bit grey PNG, row by row.</summary>
public static class ImageGrid
{
    /// <summary>
    /// Lays out <paramref name="images"/> [N,1,H,W] in [0,1] as a grid of <paramref name="columns"/> columns,
    /// filling rows left to right; pixel = truncate(x*255).
    /// </summary>
    public static Image<L8> Compose(Tensor images, int columns)
    {
        int count = (int)images.shape[0], height = (int)images.shape[2], width = (int)images.shape[3];
        int rows = (count + columns - 1) / columns;
        float[] pixels = images.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        var image = new Image<L8>(columns * width, rows * height);
        image.ProcessPixelRows(access =>
        {
            for (int y = 0; y < access.Height; y++)
            {
                Span<L8> line = access.GetRowSpan(y);
                int tileRow = y / height, row = y % height;
                for (int x = 0; x < access.Width; x++)
                {
                    int tile = tileRow * columns + x / width;
                    if (tile < count)
                        line[x] = new L8(ToByte(pixels[(tile * height + row) * width + x % width]));
                }
            }
        });
        return image;
    }

    public static void Save(Image<L8> image, string path) => AtomicFile.Write(path, stream => image.SaveAsPng(stream));

    /// <summary>truncate(x*255) to a byte, as the reference's <c>(image*255).astype(np.uint8)</c> after clipping.</summary>
    public static byte ToByte(float value) => (byte)Math.Clamp((int)(value * 255f), 0, 255);
}
