using System.IO.Compression;
using System.Security.Cryptography;
using CapsNet.Data;

namespace CapsNet.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // Two 2x3 "images": a header of magic 0x803 and dimensions 2, 2, 3, then 12 bytes.
    private static byte[] TwoImages() =>
    [
        0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,
        0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255,
    ];

    private string WritePlain(string name, byte[] bytes)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string WriteGzip(string name, byte[] bytes)
    {
        string path = _dir.File(name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        gzip.Write(bytes);
        return path;
    }

    private static string ErrorOf(Action read) => Assert.Throws<UserInputException>(read).Message;

    [Fact]
    public void PlainFileGivesHeaderDimensionsAndPayload()
    {
        IdxFile idx = IdxFile.Read(WritePlain("images", TwoImages()), IdxFile.ImagesMagic);

        Assert.Equal([2, 2, 3], idx.Dimensions);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255 }, idx.Payload);
    }

    [Fact]
    public void GzipFileReadsTheSameAsPlain()
    {
        IdxFile plain = IdxFile.Read(WritePlain("images", TwoImages()), IdxFile.ImagesMagic);
        IdxFile gzip = IdxFile.Read(WriteGzip("images.gz", TwoImages()), IdxFile.ImagesMagic);

        Assert.Equal(plain.Dimensions, gzip.Dimensions);
        Assert.Equal(plain.Payload, gzip.Payload);
    }

    [Fact]
    public void ChecksumIsOfTheDecompressedBytes()
    {
        string md5 = Convert.ToHexStringLower(MD5.HashData(TwoImages()));

        IdxFile idx = IdxFile.Read(WriteGzip("images.gz", TwoImages()), IdxFile.ImagesMagic, md5);

        Assert.Equal(12, idx.Payload.Length);
    }

    [Fact]
    public void WrongChecksumNamesTheFileAndBothSums()
    {
        string path = WriteGzip("images.gz", TwoImages());
        string actual = Convert.ToHexStringLower(MD5.HashData(TwoImages()));

        string message = ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic, "00000000000000000000000000000000"));

        Assert.Contains(path, message);
        Assert.Contains($"MD5 of the decompressed bytes is {actual}, expected 00000000000000000000000000000000", message);
    }

    [Fact]
    public void WrongMagicNamesFoundAndExpected()
    {
        string path = WritePlain("images", TwoImages());

        string message = ErrorOf(() => IdxFile.Read(path, IdxFile.LabelsMagic));

        Assert.Equal($"Data file '{path}' has magic number 0x00000803, expected 0x00000801 (not an IDX labels file).", message);
    }

    [Fact]
    public void TruncatedPayloadIsReportedWithBothLengths()
    {
        string path = WriteGzip("images.gz", TwoImages()[..^5]);

        string message = ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic));

        Assert.Equal($"Data file '{path}' is truncated: 23 bytes, its header (2x2x3) needs 28.", message);
    }

    [Fact]
    public void TruncatedPlainPayloadIsReportedAsTruncatedNotAsDamagedGzip()
    {
        string path = WritePlain("images", TwoImages()[..^5]);

        string message = ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic));

        Assert.Equal($"Data file '{path}' is truncated: 23 bytes, its header (2x2x3) needs 28.", message);
    }

    [Fact]
    public void AFileTooShortForTheMagicNumberIsReported()
    {
        string path = WritePlain("images", [0, 0]);

        Assert.Equal($"Data file '{path}' is truncated: 2 bytes, too short for an IDX header.", ErrorOf(() => IdxFile.Read(path,
            IdxFile.ImagesMagic)));
    }

    [Fact]
    public void LabelsWhereImagesBelongAreNamedAsNotImages()
    {
        string path = WritePlain("labels", [0, 0, 8, 1, 0, 0, 0, 2, 3, 4]);

        Assert.Equal($"Data file '{path}' has magic number 0x00000801, expected 0x00000803 (not an IDX images file).",
            ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void AGzipFileWithoutItsTrailerIsReported()
    {
        // The whole deflate stream is there, only the CRC and length (the last 8 bytes) are cut off.
        byte[] whole = File.ReadAllBytes(WriteGzip("whole.gz", TwoImages()));
        string path = WritePlain("cut.gz", whole[..^8]);

        Assert.StartsWith($"Data file '{path}' is damaged gzip data (", ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void CorruptDeflateDataIsReportedWithTheReason()
    {
        // A gzip header, then a deflate block of the reserved type 3, which no decoder accepts.
        string path = WritePlain("corrupt.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0]);

        string message = ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic));

        Assert.StartsWith($"Data file '{path}' is damaged gzip data (", message);
        Assert.DoesNotContain("trailer", message);
    }

    [Fact]
    public void AFileThatCannotBeOpenedIsNamedWithTheReason()
    {
        string path = WritePlain("images", TwoImages());
        using var holder = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        Assert.StartsWith($"Data file '{path}' cannot be read: ", ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void AReadErrorIsNamedWithTheReason()
    {
        // Linux answers reads of a process's own memory at address 0 with EIO.
        const string path = "/proc/self/mem";

        Assert.StartsWith($"Data file '{path}' cannot be read: ", ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void APayloadLargerThanOneReadBufferIsReadWhole()
    {
        // 1 x 8200 x 8200 = 67,240,000 bytes, more than the 64 MiB the buffer starts with.
        var bytes = new byte[16 + 8200 * 8200];
        new byte[] { 0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0x20, 0x08, 0, 0, 0x20, 0x08 }.CopyTo(bytes, 0);
        for (int i = 16; i < bytes.Length; i++)
            bytes[i] = (byte)(i * 7);
        string path = WritePlain("large", bytes);

        IdxFile idx = IdxFile.Read(path, IdxFile.ImagesMagic);

        Assert.Equal(8200 * 8200, idx.Payload.Length);
        Assert.True(bytes.AsSpan(16).SequenceEqual(idx.Payload), "the payload differs from the file's bytes after the header");
    }

    [Fact]
    public void TruncatedHeaderIsReported()
    {
        string path = WritePlain("images", TwoImages()[..10]);

        Assert.Contains("is truncated: 10 bytes, too short for a header of 3 dimensions", ErrorOf(() => IdxFile.Read(path,
            IdxFile.ImagesMagic)));
    }

    [Fact]
    public void TrailingBytesAreReported()
    {
        string path = WritePlain("images", [.. TwoImages(), 7, 7]);

        Assert.Contains("has more bytes than the 28 its header (2x2x3) describes", ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void ZeroDimensionIsReported()
    {
        byte[] bytes = TwoImages();
        bytes[11] = 0;
        string zero = WritePlain("zero", bytes);

        Assert.Contains("has dimension 1 of size 0; sizes must be positive", ErrorOf(() => IdxFile.Read(zero, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void SizesAreUnsigned()
    {
        // 0x80000000 images of 1x1: 2^31, which a signed read takes for -2147483648.
        string images = WritePlain("two-to-the-31", [0, 0, 8, 3, 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
        // 0xff000000 rows: 4,278,190,080, not -16777216.
        byte[] bytes = TwoImages();
        (bytes[8], bytes[9], bytes[10], bytes[11]) = (0xff, 0, 0, 0);
        string rows = WritePlain("rows", bytes);

        Assert.Equal($"Data file '{images}' declares 2147483648x1x1 = 2,147,483,648 bytes, more than the 2,147,483,591 an IDX file may " +
            "hold here.",
            ErrorOf(() => IdxFile.Read(images, IdxFile.ImagesMagic)));
        Assert.Contains("declares 2x4278190080x3 = 25,669,140,480 bytes", ErrorOf(() => IdxFile.Read(rows, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void HugeDimensionsDoNotOverflowAndAreRefusedBeforeReading()
    {
        byte[] bytes = [0, 0, 8, 3, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff];
        string path = WritePlain("huge", bytes);

        Assert.Equal(
            $"Data file '{path}' declares 2147483647x2147483647x2147483647 = 9,903,520,300,447,984,150,353,281,023 bytes, " +
            "more than the 2,147,483,591 an IDX file may hold here.",
            ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void HeaderJustOverTheLimitIsRefused()
    {
        // 2 x 32768 x 32768 = 2^31 bytes, one array's worth too many.
        byte[] bytes = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0x80, 0, 0, 0, 0x80, 0];
        string path = WritePlain("just-over", bytes);

        Assert.Contains("declares 2x32768x32768 = 2,147,483,648 bytes, more than the 2,147,483,591", ErrorOf(() => IdxFile.Read(path,
            IdxFile.ImagesMagic)));
    }

    [Fact]
    public void AHeaderAtTheLimitIsReadAsFarAsTheDataGoes()
    {
        // 1 x 1 x 2,147,483,591 bytes, exactly the largest array .NET allows, and no payload.
        string path = WritePlain("at-limit", [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0x7f, 0xff, 0xff, 0xc7]);

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        string error = ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal($"Data file '{path}' is truncated: 16 bytes, its header (1x1x2147483591) needs 2,147,483,607.", error);
        // The first 64 MiB chunk, not a buffer of the declared size nor a second chunk.
        Assert.InRange(allocated, 64 << 20, 80_000_000);
    }

    [Fact]
    public void APlainFileStartingWithGzipsFirstByteIsReadAsPlain()
    {
        string path = WritePlain("images", [0x1f, 0, 8, 3, 0, 0, 0, 1]);

        Assert.Equal($"Data file '{path}' has magic number 0x1f000803, expected 0x00000803 (not an IDX images file).",
            ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void AGzipFileCutOffInTheHeaderIsReportedAsDamaged()
    {
        byte[] whole = File.ReadAllBytes(WriteGzip("whole.gz", TwoImages()));
        string path = WritePlain("cut.gz", whole[..12]);

        Assert.StartsWith($"Data file '{path}' is damaged gzip data (", ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void GzipThatInflatesFarPastItsHeaderIsRefusedWithoutInflatingIt()
    {
        // A header declaring ten 28x28 images (7,840 bytes), then 100 MB of zeros: about 100 KB compressed.
        string path = _dir.File("bomb.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.SmallestSize))
        {
            gzip.Write([0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28]);
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 100; i++)
                gzip.Write(zeros);
        }
        Assert.InRange(new FileInfo(path).Length, 1, 1_000_000);

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        string error = ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal($"Data file '{path}' has more bytes than the 7,856 its header (10x28x28) describes.", error);
        Assert.True(allocated < 4_000_000, $"reading the header and payload allocated {allocated:N0} bytes");
    }

    [Fact]
    public void GzNameWithPlainBytesIsReported()
    {
        string path = WritePlain("images.gz", TwoImages());

        Assert.Equal($"Data file '{path}' is not gzip data although its name ends in .gz.", ErrorOf(() => IdxFile.Read(path,
            IdxFile.ImagesMagic)));
    }

    [Fact]
    public void DamagedGzipIsReported()
    {
        string good = WriteGzip("good.gz", TwoImages());
        byte[] bytes = File.ReadAllBytes(good);
        string path = WritePlain("damaged.gz", bytes[..(bytes.Length / 2)]);

        Assert.Contains($"Data file '{path}' is damaged gzip data", ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        string path = _dir.File("absent.gz");

        Assert.Equal($"Data file '{path}' not found.", ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
    }
}
