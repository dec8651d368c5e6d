namespace CapsNet.Imaging;

/// <summary>Interleaved RGB bytes laid out as the channel planes a network takes: grey by BT.709 luminance, or R, G, B.</summary>
internal static class PlanarPixels
{
    /// <summary>
    /// Writes <paramref name="rgb"/> (R, G, B per pixel) into <paramref name="target"/> as one plane of grey
    /// (<paramref name="channels"/> = 1, ImageSharp's BT.709 luminance, rounded) or three planes R, G, B.
    /// </summary>
    public static void FromRgb(ReadOnlySpan<byte> rgb, int channels, Span<byte> target)
    {
        int area = rgb.Length / 3;
        for (int p = 0; p < area; p++)
        {
            byte r = rgb[3 * p], g = rgb[3 * p + 1], b = rgb[3 * p + 2];
            if (channels == 1)
            {
                target[p] = (byte)(r * 0.2126f + g * 0.7152f + b * 0.0722f + 0.5f);
                continue;
            }
            target[p] = r;
            target[area + p] = g;
            target[2 * area + p] = b;
        }
    }
}
