using System.Buffers.Binary;

namespace CapsNet.Imaging;

/// <summary>
/// How far a BMP, WebP or TIFF header says its data reaches, against the file's length: ImageSharp 2.1 decodes a
/// BMP or WebP cut short without a word, filling the rest.
/// </summary>
internal static class DeclaredLength
{
    /// <summary>The shortfall of a file shorter than its header describes, else null (and for other formats).</summary>
    public static string? Shortfall(Stream stream, string format)
    {
        long needed = format switch
        {
            "BMP" => Bmp(stream),
            "Webp" => Webp(stream),
            "TIFF" => Tiff(stream),
            _ => 0,
        };
        return needed > stream.Length ? $"{stream.Length:N0} bytes, where its header places data up to byte {needed:N0}" : null;
    }

    /// <summary>The pixel offset and then the rows (each padded to 4 bytes), or for compressed pixels their stated size.</summary>
    private static long Bmp(Stream stream)
    {
        byte[] header = Read(stream, 0, 54);
        if (header.Length < 26)
            return 0;
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(10));
        if (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(14)) == 12)  // OS/2's core header: 16-bit sizes, no compression
            return offset + Rows(BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(18)),
                BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(20)),
                BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(24)));
        if (header.Length < 38)
            return 0;
        int width = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(18)),
            height = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(22));
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28));
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(30));
        return compression is 0 or 3 or 6  // plain rows, with or without bit fields
            ? offset + Rows(width, Math.Abs((long)height), bits)
            : offset + BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(34));
    }

    private static long Rows(long width, long height, int bits) => height * ((Math.Abs(width) * bits + 31) / 32 * 4);

    /// <summary>A RIFF file: "RIFF", the length of what follows, "WEBP".</summary>
    private static long Webp(Stream stream)
    {
        byte[] header = Read(stream, 0, 8);
        return header.Length < 8 ? 0 : 8L + BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
    }

    /// <summary>The end of the first image's furthest strip or tile, from the offsets and byte counts in its directory.</summary>
    private static long Tiff(Stream stream)
    {
        byte[] header = Read(stream, 0, 8);
        if (header.Length < 8)
            return 0;
        bool little = header[0] == (byte)'I';
        if (U16(header, 2, little) != 42)
            return 0;  // BigTIFF, which ImageSharp 2.1 does not read
        long directory = U32(header, 4, little);
        byte[] count = Read(stream, directory, 2);
        if (count.Length < 2)
            return directory + 2;
        int entries = U16(count, 0, little);
        byte[] table = Read(stream, directory + 2, 12 * entries);
        if (table.Length < 12 * entries)
            return directory + 2 + 12 * entries;
        long[] offsets = [], lengths = [];
        long needed = 0;
        for (int e = 0; e < entries; e++)
        {
            int tag = U16(table, 12 * e, little);
            if (tag is not (273 or 279 or 324 or 325))  // strip offsets, strip byte counts, tile offsets, tile byte counts
                continue;
            int size = U16(table, 12 * e + 2, little) == 3 ? 2 : 4;  // SHORT or LONG
            long n = U32(table, 12 * e + 4, little);
            long at = n * size <= 4 ? directory + 2 + 12 * e + 8 : U32(table, 12 * e + 8, little);
            byte[] raw = Read(stream, at, (int)Math.Min(n * size, 1 << 24));
            if (raw.Length < n * size)
                return Math.Max(needed, at + n * size);
            long[] values = Enumerable.Range(0, (int)n).Select(i => size == 2 ? (long)U16(raw, i * 2, little) : U32(raw, i * 4,
                little)).ToArray();
            if (tag is 273 or 324)
                offsets = values;
            else
                lengths = values;
        }
        for (int i = 0; i < Math.Min(offsets.Length, lengths.Length); i++)
            needed = Math.Max(needed, offsets[i] + lengths[i]);
        return needed;
    }

    private static int U16(byte[] bytes, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at));

    private static long U32(byte[] bytes, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));

    /// <summary>Up to <paramref name="count"/> bytes from <paramref name="at"/>: fewer where the file ends.</summary>
    private static byte[] Read(Stream stream, long at, int count)
    {
        if (at >= stream.Length)
            return [];
        stream.Position = at;
        var bytes = new byte[Math.Min(count, stream.Length - at)];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
