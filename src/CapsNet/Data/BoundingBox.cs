namespace CapsNet.Data;

/// <summary>
/// A rectangle of pixels: rows <paramref name="Top"/> to Bottom-1, columns <paramref name="Left"/> to Right-1; empty
/// when it holds no pixel.
/// </summary>
internal readonly record struct BoundingBox(int Top, int Left, int Bottom, int Right)
{
    public static BoundingBox Empty { get; } = new(0, 0, 0, 0);

    public int Area => Math.Max(0, Bottom - Top) * Math.Max(0, Right - Left);

    /// <summary>The smallest box that holds every non-zero pixel of a square image (side x side, row-major).</summary>
    public static BoundingBox Of(ReadOnlySpan<byte> image, int side)
    {
        int top = side, left = side, bottom = 0, right = 0;
        for (int row = 0; row < side; row++)
        {
            ReadOnlySpan<byte> line = image.Slice(row * side, side);
            int first = line.IndexOfAnyExcept((byte)0);
            if (first < 0)
                continue;
            top = Math.Min(top, row);
            bottom = row + 1;
            left = Math.Min(left, first);
            right = Math.Max(right, line.LastIndexOfAnyExcept((byte)0) + 1);
        }
        return bottom == 0 ? Empty : new BoundingBox(top, left, bottom, right);
    }

    public BoundingBox Intersect(BoundingBox other) =>
        new(Math.Max(Top, other.Top), Math.Max(Left, other.Left), Math.Min(Bottom, other.Bottom), Math.Min(Right, other.Right));

    /// <summary>
    /// How much the two boxes overlap: the area they share over the area of the smaller one, 1 when one holds the
    /// other, 0 when they are apart or either is empty.
    /// </summary>
    public double Overlap(BoundingBox other)
    {
        int smaller = Math.Min(Area, other.Area);
        return smaller == 0 ? 0 : (double)Intersect(other).Area / smaller;
    }
}
