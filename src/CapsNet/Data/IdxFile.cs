using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace CapsNet.Data;

/// <summary>
/// The header dimensions and unsigned-byte payload of one IDX file, with the MD5 of its decompressed bytes.
/// </summary>
public sealed record IdxFile(int[] Dimensions, byte[] Payload, string Md5 = "")
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    /// <summary>
    /// Reads an IDX file of unsigned bytes, gzip-compressed or plain, and checks its magic number,
    /// that its length matches its dimensions and, when given, the MD5 of its decompressed bytes.
    /// </summary>
    public static IdxFile Read(string path, int expectedMagic, string? expectedMd5 = null)
    {
        byte[] bytes = ReadDecompressed(path);
        if (bytes.Length < 4)
            throw Invalid(path, $"is truncated: {bytes.Length} bytes, too short for an IDX header");

        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != expectedMagic)
            throw Invalid(path, $"has magic number 0x{magic:x8}, expected 0x{expectedMagic:x8} (not an IDX {Kind(expectedMagic)} file)");

        int rank = expectedMagic & 0xff;
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw Invalid(path, $"is truncated: {bytes.Length} bytes, too short for a header of {rank} dimensions");

        var dimensions = new int[rank];
        Int128 payloadLength = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (dimensions[d] <= 0)
                throw Invalid(path, $"has dimension {d} of size {dimensions[d]}; sizes must be positive");
            payloadLength *= dimensions[d];
        }

        Int128 expectedLength = headerLength + payloadLength;

        if (bytes.Length < expectedLength)
            throw Invalid(path, $"is truncated: {bytes.Length:N0} bytes, its header ({string.Join("x", dimensions)}) needs {expectedLength:N0}");
        if (bytes.Length > expectedLength)
            throw Invalid(path, $"has {bytes.Length - expectedLength:N0} bytes beyond the {expectedLength:N0} its header ({string.Join("x", dimensions)}) describes");

        var idx = new IdxFile(dimensions, bytes[headerLength..], Convert.ToHexStringLower(MD5.HashData(bytes)));
        if (expectedMd5 is not null)
            idx.EnsureMd5(path, expectedMd5);
        return idx;
    }

    /// <summary>Fails with a message naming <paramref name="path"/> unless the decompressed bytes have this MD5.</summary>
    public void EnsureMd5(string path, string expectedMd5)
    {
        if (Md5 != expectedMd5)
            throw Invalid(path, $"fails its checksum: MD5 of the decompressed bytes is {Md5}, expected {expectedMd5}. The file is corrupt or not the original; copy it again");
    }

    private static byte[] ReadDecompressed(string path)
    {
        if (!File.Exists(path))
            throw new UserInputException($"Data file '{path}' not found.");

        byte[] raw;
        try
        {
            raw = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Data file '{path}' cannot be read: {e.Message}", e);
        }
        bool isGzip = raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;
        if (!isGzip)
        {
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                throw Invalid(path, "is not gzip data although its name ends in .gz");
            return raw;
        }

        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);

            // GZipStream stops quietly at the end of a cut-off file; the trailer's ISIZE (length mod 2^32) exposes it.
            uint trailerLength = raw.Length >= 18 ? BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(raw.Length - 4)) : 0;
            if (raw.Length < 18 || trailerLength != (uint)output.Length)
                throw Invalid(path, $"is damaged gzip data (it decompresses to {output.Length:N0} bytes but its trailer says {trailerLength:N0}; the file is probably cut off)");
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw Invalid(path, $"is damaged gzip data ({e.Message})");
        }
        catch (EndOfStreamException)
        {
            throw Invalid(path, "is damaged gzip data (it ends early)");
        }
    }

    private static string Kind(int magic) => magic == ImagesMagic ? "images" : magic == LabelsMagic ? "labels" : "unsigned-byte";

    private static UserInputException Invalid(string path, string problem) => new($"Data file '{path}' {problem}.");
}
