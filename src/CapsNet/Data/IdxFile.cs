using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace CapsNet.Data;

/// <summary>
/// The header dimensions and unsigned-byte payload of one IDX file, with the MD5 of its decompressed bytes.
/// </summary>
internal sealed record IdxFile(int[] Dimensions, byte[] Payload, string Md5 = "")
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    /// <summary>The largest payload a header may declare: what one .NET array holds (about 2 GiB).</summary>
    public static readonly long MaxPayloadBytes = Array.MaxLength;

    /// <summary>
    /// Reads an IDX file of unsigned bytes, gzip-compressed or plain, and checks its magic number, that its length
    /// matches its dimensions and, when given, the MD5 of its decompressed bytes. It reads the header first, then
    /// exactly the payload the header declares and one byte more: a file that holds more is refused without
    /// reading (or inflating) the rest. <paramref name="expectedMagic"/> is <see cref="ImagesMagic"/> or
    /// <see cref="LabelsMagic"/>.
    /// </summary>
    public static IdxFile Read(string path, int expectedMagic, string? expectedMd5 = null)
    {
        using FileStream file = Open(path);
        try
        {
            bool isGzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
            file.Position = 0;
            if (!isGzip && path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                throw Invalid(path, "is not gzip data although its name ends in .gz");

            using Stream input = isGzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var (dimensions, headerLength, payloadLength) = ReadHeader(input, path, expectedMagic, md5, isGzip ? file : null);

            byte[] payload = ReadExactly(input, payloadLength, out int read);
            if (read < payloadLength)
                throw Truncated(isGzip ? file : null, path, headerLength + read,
                    $"its header ({Shape(dimensions)}) needs {headerLength + payloadLength:N0}");
            if (input.ReadByte() >= 0)
                throw Invalid(path,
                    $"has more bytes than the {headerLength + payloadLength:N0} its header ({Shape(dimensions)}) describes");
            if (isGzip)
                EnsureCompleteGzip(file, path, headerLength + payloadLength);
            md5.AppendData(payload);

            var idx = new IdxFile(dimensions, payload, Convert.ToHexStringLower(md5.GetHashAndReset()));
            if (expectedMd5 is not null)
                idx.EnsureMd5(path, expectedMd5);
            return idx;
        }
        catch (InvalidDataException e)
        {
            throw Invalid(path, $"is damaged gzip data ({e.Message})");
        }
        catch (IOException e)
        {
            throw new UserInputException($"Data file '{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Fails with a message naming <paramref name="path"/> unless the decompressed bytes have this MD5.</summary>
    public void EnsureMd5(string path, string expectedMd5)
    {
        if (Md5 != expectedMd5)
            throw Invalid(path,
                $"fails its checksum: MD5 of the decompressed bytes is {Md5}, expected {expectedMd5}. The file is corrupt or not the " +
                    "original; copy it again");
    }

    private static FileStream Open(string path)
    {
        if (!File.Exists(path))
            throw new UserInputException($"Data file '{path}' not found.");
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Data file '{path}' cannot be read: {e.Message}", e);
        }
    }

    private static (int[] Dimensions, int HeaderLength, int PayloadLength) ReadHeader(Stream input, string path, int expectedMagic,
        IncrementalHash md5, FileStream? gzipFile)
    {
        byte[] magicBytes = ReadExactly(input, 4, out int read);
        if (read < 4)
            throw Truncated(gzipFile, path, read, "too short for an IDX header");
        int magic = BinaryPrimitives.ReadInt32BigEndian(magicBytes);
        if (magic != expectedMagic)
            throw Invalid(path, $"has magic number 0x{magic:x8}, expected 0x{expectedMagic:x8} (not an IDX {Kind(expectedMagic)} file)");

        int rank = expectedMagic & 0xff;
        byte[] dimensionBytes = ReadExactly(input, 4 * rank, out read);
        if (read < 4 * rank)
            throw Truncated(gzipFile, path, 4 + read, $"too short for a header of {rank} dimensions");
        md5.AppendData(magicBytes);
        md5.AppendData(dimensionBytes);

        // Sizes are unsigned 32-bit big-endian: 0x80000000 images is 2^31 of them, not a negative count.
        var sizes = new uint[rank];
        Int128 payloadLength = 1;
        for (int d = 0; d < rank; d++)
        {
            sizes[d] = BinaryPrimitives.ReadUInt32BigEndian(dimensionBytes.AsSpan(4 * d));
            if (sizes[d] == 0)
                throw Invalid(path, $"has dimension {d} of size 0; sizes must be positive");
            payloadLength *= sizes[d];
        }
        if (payloadLength > MaxPayloadBytes)
            throw Invalid(path,
                $"declares {string.Join("x", sizes)} = {payloadLength:N0} bytes, more than the {MaxPayloadBytes:N0} an IDX file may hold " +
                    "here");
        // Within one array's length, every size fits an int.
        return (sizes.Select(size => (int)size).ToArray(), 4 + 4 * rank, (int)payloadLength);
    }

    // Grows the buffer as data arrives rather than trusting the header with one allocation of its size.
    private static byte[] ReadExactly(Stream input, int length, out int read)
    {
        const int chunk = 64 << 20;
        var buffer = new byte[Math.Min(length, chunk)];
        read = 0;
        while (read < length)
        {
            if (read == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min(length, 2L * buffer.Length));
            int n = input.Read(buffer, read, buffer.Length - read);
            if (n == 0)
                break;
            read += n;
        }
        return buffer;
    }

    /// <summary>
    /// The error for data that ended after <paramref name="length"/> bytes: a cut-off gzip file when its trailer
    /// disagrees, else an IDX file shorter than it should be.
    /// </summary>
    private static UserInputException Truncated(FileStream? gzipFile, string path, long length, string need)
    {
        if (gzipFile is not null)
            EnsureCompleteGzip(gzipFile, path, length);
        return Invalid(path, $"is truncated: {length:N0} bytes, {need}");
    }

    // GZipStream stops quietly at the end of a cut-off file; the trailer's ISIZE (length mod 2^32) exposes it.
    private static void EnsureCompleteGzip(FileStream file, string path, long decompressedLength)
    {
        uint trailerLength = 0;
        if (file.Length >= 18)
        {
            var trailer = new byte[4];
            file.Position = file.Length - 4;
            file.ReadExactly(trailer);
            trailerLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        }
        if (file.Length < 18 || trailerLength != (uint)decompressedLength)
            throw Invalid(path,
                $"is damaged gzip data (it decompresses to {decompressedLength:N0} bytes but its trailer says {trailerLength:N0}; the " +
                    "file is probably cut off)");
    }

    private static string Shape(int[] dimensions) => string.Join("x", dimensions);

    private static string Kind(int magic) => magic == ImagesMagic ? "images" : "labels";

    private static UserInputException Invalid(string path, string problem) => new($"Data file '{path}' {problem}.");
}
