namespace CapsNet.Data;

/// <summary>
/// The reference's only augmentation: every training image gets its own horizontal and vertical shift, each
/// drawn uniformly from [-f*side, +f*side] and rounded to whole pixels (nearest-neighbour sampling); pixels
/// shifted in are 0.
/// </summary>
internal static class ShiftAugmentation
{
    /// <summary>A shift in pixels for an image side of <paramref name="side"/>; always 0 when the fraction is 0.</summary>
    public static int Draw(Random random, double fraction, int side)
    {
        double range = fraction * side;
        return (int)Math.Round((random.NextDouble() * 2 - 1) * range, MidpointRounding.AwayFromZero);
    }

    /// <summary>Writes <paramref name="source"/> (side x side, row-major) moved right by dx and down by dy.</summary>
    public static void Shift<T>(ReadOnlySpan<T> source, Span<T> destination, int side, int dx, int dy)
    {
        destination.Clear();
        for (int row = Math.Max(0, dy); row < Math.Min(side, side + dy); row++)
        {
            int from = Math.Max(0, -dx), to = Math.Max(0, dx), length = side - Math.Abs(dx);
            if (length > 0)
                source.Slice((row - dy) * side + from, length).CopyTo(destination.Slice(row * side + to, length));
        }
    }
}
