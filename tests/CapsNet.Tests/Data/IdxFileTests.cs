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
    public void TruncatedHeaderIsReported()
    {
        string path = WritePlain("images", TwoImages()[..10]);

        Assert.Contains("is truncated: 10 bytes, too short for a header of 3 dimensions", ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void TrailingBytesAreReported()
    {
        string path = WritePlain("images", [.. TwoImages(), 7, 7]);

        Assert.Contains("has 2 bytes beyond the 28 its header (2x2x3) describes", ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void ZeroOrNegativeDimensionIsReported()
    {
        byte[] bytes = TwoImages();
        bytes[11] = 0;
        string zero = WritePlain("zero", bytes);
        bytes[8] = 0xff;
        string negative = WritePlain("negative", bytes);

        Assert.Contains("has dimension 1 of size 0", ErrorOf(() => IdxFile.Read(zero, IdxFile.ImagesMagic)));
        Assert.Contains("has dimension 1 of size -16777216", ErrorOf(() => IdxFile.Read(negative, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void HugeDimensionsDoNotOverflow()
    {
        byte[] bytes = [0, 0, 8, 3, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff];
        string path = WritePlain("huge", bytes);

        Assert.Contains("is truncated: 16 bytes", ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
    }

    [Fact]
    public void GzNameWithPlainBytesIsReported()
    {
        string path = WritePlain("images.gz", TwoImages());

        Assert.Equal($"Data file '{path}' is not gzip data although its name ends in .gz.", ErrorOf(() => IdxFile.Read(path, IdxFile.ImagesMagic)));
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
