using System.Buffers.Binary;

namespace CapsNet.Imaging;

/// <summary>
/// Whether a picture file holds its format's end. ImageSharp 2.1 decodes a JPEG, GIF, BMP or WebP cut off
/// anywhere, and a PNG cut off in its last image chunk, without a word, filling what is missing with grey or
/// black; a prediction from that is a silent wrong answer. A whole file ends in its end marker (JPEG's FF D9,
/// PNG's IEND chunk, GIF's trailer), which is read from the last bytes; only a file with more after it (a
/// phone's motion photo appends a video to its JPEG) is walked segment by segment to find the marker. BMP,
/// WebP and TIFF headers say how far their data reaches (<see cref="DeclaredLength"/>).
/// </summary>
internal static class ImageEnd
{
    private static readonly byte[] JpegEnd = [0xff, 0xd9];
    private static readonly byte[] PngEnd = [0, 0, 0, 0, (byte)'I', (byte)'E', (byte)'N', (byte)'D', 0xae, 0x42, 0x60, 0x82];
    private static readonly byte[] GifEnd = [0x3b];

    /// <summary>
    /// What is missing from <paramref name="stream"/>, a file in ImageSharp's <paramref name="format"/>, when it
    /// stops before its end; null when it is whole, or of a format with no end to check.
    /// </summary>
    public static string? Missing(Stream stream, string format) => format switch
    {
        "JPEG" => EndsWith(stream, JpegEnd) || JpegEnds(stream) ? null : "the JPEG data stops before its end marker (FF D9)",
        "PNG" => EndsWith(stream, PngEnd) || PngEnds(stream) ? null : "the PNG data stops before its IEND chunk",
        "GIF" => EndsWith(stream, GifEnd) || GifEnds(stream) ? null : "the GIF data stops before its trailer (3B)",
        _ => DeclaredLength.Shortfall(stream, format),
    };

    private static bool EndsWith(Stream stream, byte[] end)
    {
        if (stream.Length < end.Length)
            return false;
        stream.Position = stream.Length - end.Length;
        var last = new byte[end.Length];
        stream.ReadExactly(last);
        return last.AsSpan().SequenceEqual(end);
    }

    /// <summary>
    /// Markers are FF and a code; all but a few are followed by a length that covers their data. The compressed
    /// data after a start of scan holds FF only as FF 00 or a restart marker, so the first other marker after it
    /// is real.
    /// </summary>
    private static bool JpegEnds(Stream stream)
    {
        stream.Position = 2;  // after the start marker
        while (true)
        {
            int next = stream.ReadByte();
            if (next < 0)
                return false;
            if (next != 0xff)
                continue;  // compressed data
            int code;
            do
                code = stream.ReadByte();
            while (code == 0xff);  // fill bytes
            if (code < 0)
                return false;
            if (code == 0xd9)
                return true;
            if (code is 0x00 or 0x01 or 0xd8 or (>= 0xd0 and <= 0xd7))
                continue;  // a stuffed FF, or a marker without a length
            int high = stream.ReadByte(), low = stream.ReadByte();
            int length = high << 8 | low;
            if (low < 0 || length < 2)
                return false;  // cut off in the length, or a length that does not cover itself
            stream.Position += length - 2;
        }
    }

    /// <summary>Chunks are a length, a type, the data and a CRC, in that order to the IEND chunk.</summary>
    private static bool PngEnds(Stream stream)
    {
        var header = new byte[8];
        for (long at = 8; at + header.Length <= stream.Length; at += 12L + BinaryPrimitives.ReadUInt32BigEndian(header))
        {
            stream.Position = at;
            stream.ReadExactly(header);
            if (header.AsSpan(4).SequenceEqual("IEND"u8))
                return at + 12 <= stream.Length;
        }
        return false;
    }

    /// <summary>
    /// After the header and the global colour table come extensions (21), images (2C) with their local colour
    /// tables, each holding sub-blocks that end in an empty one, and then the trailer (3B).
    /// </summary>
    private static bool GifEnds(Stream stream)
    {
        stream.Position = 10;
        int screen = stream.ReadByte();
        if (screen < 0)
            return false;
        stream.Position = 13 + ColourTableBytes(screen);
        while (true)
        {
            switch (stream.ReadByte())
            {
                case 0x3b:
                    return true;
                case 0x21:
                    if (stream.ReadByte() < 0 || !SkipSubBlocks(stream))
                        return false;
                    break;
                case 0x2c:
                    stream.Position += 8;  // position and size
                    int image = stream.ReadByte();
                    if (image < 0)
                        return false;
                    stream.Position += ColourTableBytes(image) + 1;  // and the LZW code size
                    if (!SkipSubBlocks(stream))
                        return false;
                    break;
                case < 0:
                    return false;
                default:
                    return true;  // not a GIF block: what follows is not ours to judge, and nothing is cut off
            }
        }
    }

    private static int ColourTableBytes(int flags) => (flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0;

    private static bool SkipSubBlocks(Stream stream)
    {
        while (true)
        {
            int size = stream.ReadByte();
            if (size <= 0)
                return size == 0;
            stream.Position += size;
        }
    }
}
