using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CapsNet.Tests;

/// <summary>
/// An image-folder data set drawn on the spot: three classes of shapes (filled square, horizontal bar,
/// vertical bar) at random places and in random bright colours on black, as train/CLASS/*.png and test/CLASS/*.png.
/// </summary>
internal static class ShapesFolder
{
    public static readonly string[] Classes = ["bar-horizontal", "bar-vertical", "square"];

    public static void Write(string root, int trainPerClass, int testPerClass, int side = 32, int seed = 1, bool colour = true)
    {
        var random = new Random(seed);
        foreach (var (split, count) in new[] { ("train", trainPerClass), ("test", testPerClass) })
        {
            foreach (string name in Classes)
            {
                string dir = Path.Combine(root, split, name);
                Directory.CreateDirectory(dir);
                for (int i = 0; i < count; i++)
                {
                    using Image<Rgb24> image = Draw(name, side, random, colour);
                    image.SaveAsPng(Path.Combine(dir, $"{i:D4}.png"));
                }
            }
        }
    }

    /// <summary>A link named 'again' in <paramref name="split"/>/square that leads back to that folder: a warning, not an image.</summary>
    /// <returns>The square class's folder, which holds the link.</returns>
    public static string LinkBackInto(string root, string split)
    {
        string square = Path.Combine(root, split, "square");
        Directory.CreateSymbolicLink(Path.Combine(square, "again"), ".");
        return square;
    }

    public static Image<Rgb24> Draw(string shape, int side, Random random, bool colour)
    {
        var image = new Image<Rgb24>(side, side);
        var (w, h) = shape switch
        {
            "square" => (side / 3, side / 3),
            "bar-horizontal" => (side / 2, side / 8),
            _ => (side / 8, side / 2),
        };
        int left = random.Next(side - w), top = random.Next(side - h);
        byte grey = (byte)random.Next(160, 256);
        var ink = colour ? new Rgb24((byte)random.Next(100, 256), (byte)random.Next(100, 256), (byte)random.Next(100,
            256)) : new Rgb24(grey, grey, grey);
        for (int y = top; y < top + h; y++)
            for (int x = left; x < left + w; x++)
                image[x, y] = ink;
        return image;
    }
}
