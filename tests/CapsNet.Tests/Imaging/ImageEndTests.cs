using CapsNet.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace CapsNet.Tests.Imaging;

/// <summary>
/// Files cut off before their end are refused by <see cref="ImageReader"/>, though ImageSharp decodes most of them silently.
/// </summary>
public sealed class ImageEndTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A 120x80 photo-like picture, no two rows alike, in the encoder's format.</summary>
    private static byte[] Encoded(IImageEncoder encoder)
    {
        using var image = new Image<Rgb24>(120, 80);
        for (int y = 0; y < 80; y++)
            for (int x = 0; x < 120; x++)
                image[x, y] = new Rgb24((byte)(x * 2 + y), (byte)(y * 3), (byte)(x * y % 251));
        using var bytes = new MemoryStream();
        image.Save(bytes, encoder);
        return bytes.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string ReadError(string path) => Assert.Throws<UserInputException>(() => ImageReader.Read(path)).Message;

    private static string JpegCut => "is truncated: the JPEG data stops before its end marker (FF D9)";

    public static TheoryData<string, double> Cuts => new()
    {
        { "jpg", 0.3 }, { "jpg", 0.97 }, { "jpg", -2 },
        { "png", 0.5 }, { "png", 0.97 }, { "png", -12 },
        { "gif", 0.5 }, { "gif", -1 },
        { "bmp", 0.5 }, { "bmp", -1 },
        { "webp", 0.5 }, { "webp", -1 },
        { "tiff", 0.5 },
    };

    /// <summary>A fraction of the file, or all but that many bytes when negative.</summary>
    [Theory]
    [MemberData(nameof(Cuts))]
    public void AFileCutOffIsNamedTruncatedWhileTheWholeOneReads(string format, double keep)
    {
        byte[] whole = Encoded(Encoder(format));
        byte[] cut = whole[..(keep < 0 ? whole.Length + (int)keep : (int)(whole.Length * keep))];
        string wholePath = Write($"whole.{format}", whole), cutPath = Write($"cut.{format}", cut);

        using (Image<Rgb24> read = ImageReader.Read(wholePath))
            Assert.Equal((120, 80), (read.Width, read.Height));
        string expected = format switch
        {
            "jpg" => JpegCut,
            "png" => "is truncated: the PNG data stops before its IEND chunk",
            "gif" => "is truncated: the GIF data stops before its trailer (3B)",
            // The header of a BMP or WebP file gives the length of the whole; a TIFF's directory lies past the cut.
            "tiff" => $"is truncated: {cut.Length:N0} bytes, where its header places data up to byte",
            _ => $"is truncated: {cut.Length:N0} bytes, where its header places data up to byte {whole.Length:N0}",
        };
        Assert.StartsWith(expected, ReadError(cutPath));
    }

    private static IImageEncoder Encoder(string format) => format switch
    {
        "jpg" => new JpegEncoder(),
        "png" => new PngEncoder(),
        "gif" => new GifEncoder(),
        "bmp" => new BmpEncoder(),
        "webp" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
        _ => new TiffEncoder(),
    };

    [Fact]
    public void ImageSharpItselfDecodesTheseCutsWithoutAWord()
    {
        // Why the check exists: a JPEG cut to 30% decodes, the missing part grey or black.
        byte[] whole = Encoded(new JpegEncoder());
        using var image = Image.Load<Rgb24>(whole[..(int)(whole.Length * 0.3)]);

        Assert.Equal((120, 80), (image.Width, image.Height));
    }

    [Fact]
    public void DataAfterTheEndMarkerIsNotACut()
    {
        // A phone's motion photo: a whole JPEG, then a video. A PNG or a GIF with bytes after its end.
        byte[] video = [.. "\0\0\0\x18ftypmp42"u8, .. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 256))];
        byte[] jpeg = Encoded(new JpegEncoder());
        string motion = Write("motion.jpg", [.. jpeg, .. video]);
        string png = Write("after.png", [.. Encoded(new PngEncoder()), .. video]);
        string gif = Write("after.gif", [.. Encoded(new GifEncoder()), .. "\0\0"u8]);

        using Image<Rgb24> read = ImageReader.Read(motion), plain = Image.Load<Rgb24>(jpeg);
        Assert.Equal(plain[60, 40], read[60, 40]);
        using (ImageReader.Read(png))
        using (ImageReader.Read(gif))
        {
        }
        // Cut inside the video, the JPEG is still whole.
        using (ImageReader.Read(Write("motion-cut.jpg", [.. jpeg, .. video[..1000]])))
        {
        }
    }

    [Fact]
    public void AnEndMarkerInsideASegmentIsNotTheEnd()
    {
        // A comment segment holding FF D9 (as an embedded thumbnail's end does), then the file cut in its compressed data.
        byte[] jpeg = Encoded(new JpegEncoder());
        byte[] comment = [0xff, 0xfe, 0, 8, (byte)'t', (byte)'h', 0xff, 0xd9, (byte)'m', (byte)'b'];
        byte[] withComment = [.. jpeg[..2], .. comment, .. jpeg[2..]];
        string whole = Write("comment.jpg", withComment);
        string cut = Write("comment-cut.jpg", withComment[..(withComment.Length * 2 / 3)]);

        using (ImageReader.Read(whole))
        {
        }
        Assert.Equal(JpegCut, ReadError(cut));
    }

    [Fact]
    public async Task AFifoOrADeviceIsRefusedWithoutReadingIt()
    {
        // Opening a FIFO to read waits for a writer: the old reader hung here. Both made in the test's own folder.
        string fifo = _dir.File("drawing.png"), device = _dir.File("zeros.png");
        OutputPathTests.Sh($"mkfifo '{fifo}' && mknod '{device}' c 1 5");

        string[] errors = await Task.Run(() => new[] { ReadError(fifo), ReadError(device) }).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(["is a FIFO (named pipe), not a picture file", "is a character device, not a picture file"], errors);
    }
}
