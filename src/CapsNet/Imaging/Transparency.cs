using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CapsNet.Imaging;

/// <summary>
/// Lays a picture with transparent pixels on a page, as a viewer shows it. Drawing programs and web canvases save
/// ink on a transparent background whose hidden colour is usually black: read without its alpha, the page turns
/// black and dark ink vanishes. The page is white, as paper under dark ink; when the visible pixels are light on
/// average (light ink, as a dark-themed canvas saves it) the page is black instead, so the ink shows either way.
/// </summary>
internal static class Transparency
{
    /// <summary>Visible pixels lighter than this on average (0 black, 1 white) go on a black page.</summary>
    public const double LightInk = 0.5;

    /// <summary>
    /// The picture as RGB: each pixel blended with the page by its alpha. Without a transparent pixel, the same
    /// colours; fully transparent, a blank white page.
    /// </summary>
    public static Image<Rgb24> OntoPage(Image<Rgba32> image)
    {
        byte page = PageLevel(image);
        var rgb = new Image<Rgb24>(image.Width, image.Height);
        image.ProcessPixelRows(rgb, (source, target) =>
        {
            for (int y = 0; y < source.Height; y++)
            {
                Span<Rgba32> from = source.GetRowSpan(y);
                Span<Rgb24> to = target.GetRowSpan(y);
                for (int x = 0; x < from.Length; x++)
                {
                    Rgba32 p = from[x];
                    int behind = (255 - p.A) * page;
                    to[x] = new Rgb24(Blend(p.R, p.A, behind), Blend(p.G, p.A, behind), Blend(p.B, p.A, behind));
                }
            }
        });
        return rgb;
    }

    /// <summary>255 (white), or 0 when the visible pixels, weighted by their opacity, are light on average.</summary>
    private static byte PageLevel(Image<Rgba32> image)
    {
        double opacity = 0, light = 0;
        bool transparent = false;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                foreach (Rgba32 p in rows.GetRowSpan(y))
                {
                    transparent |= p.A < 255;
                    opacity += p.A;
                    light += p.A * (p.R * 0.2126 + p.G * 0.7152 + p.B * 0.0722) / 255;
                }
            }
        });
        return transparent && opacity > 0 && light / opacity > LightInk ? (byte)0 : (byte)255;
    }

    // colour * alpha + page * (1 - alpha), rounded, in bytes.
    private static byte Blend(byte colour, byte alpha, int behind) => (byte)((colour * alpha + behind + 127) / 255);
}
