using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace CapsNet.Imaging;

/// <summary>
/// A picture file opened and checked but not yet decoded: its size from the header, whether it can hold
/// transparency, and so what decoding it will take. Opening refuses a header that declares more than
/// <see cref="MaxPixels"/> and a file cut off before its format's end; every failure is a
/// <see cref="UserInputException"/> saying why, without the path (the caller names the file).
/// </summary>
internal sealed class PictureFile : IDisposable
{
    private readonly FileStream _stream;

    private readonly int _decoderBytesPerPixel;

    /// <summary>100 megapixels: more than any camera photo, far less than a forged header can claim.</summary>
    public const long MaxPixels = 100_000_000;

    private PictureFile(FileStream stream, int width, int height, bool mayHaveAlpha, int decoderBytesPerPixel)
    {
        _stream = stream;
        (Width, Height, MayHaveAlpha, _decoderBytesPerPixel) = (width, height, mayHaveAlpha, decoderBytesPerPixel);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Whether the format and header allow transparent pixels: such a picture is decoded as RGBA first.</summary>
    public bool MayHaveAlpha { get; }

    /// <summary>
    /// What decoding holds at its peak: the RGB pixels, the RGBA copy a picture that may be transparent is read
    /// through first, and for JPEG the decoder's coefficients (a progressive JPEG keeps all of them, two bytes each,
    /// 3 bytes a pixel in 4:2:0; measured for a baseline one, 1 byte a pixel).
    /// </summary>
    public long DecodedBytes => (long)Width * Height * ((MayHaveAlpha ? 4 + 3 : 3) + _decoderBytesPerPixel);

    public static PictureFile Open(string path)
    {
        FileStream? stream = null;
        try
        {
            // Opening a FIFO waits for a writer, and a device never ends: only a regular file is read.
            if (FileNode.Of(path) is { Kind: not FileKind.Regular } node)
                throw new UserInputException($"is {node.Described}, not a picture file");
            stream = File.OpenRead(path);
            IImageFormat format = Image.DetectFormat(stream) ?? throw new UserInputException("not an image in a known format");
            IImageInfo info = Identify(stream, format);
            if ((long)info.Width * info.Height > MaxPixels)
                throw new UserInputException($"declares {info.Width}x{info.Height} pixels, more than the {MaxPixels:N0} " +
                    "accepted");
            EnsureWhole(stream, format);
            var picture = new PictureFile(stream, info.Width, info.Height, MayBeTransparent(stream, info, format.Name),
                format.Name == "JPEG" ? 3 : 0);
            stream = null;
            return picture;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or UserInputException))
        {
            throw Unreadable(e);
        }
        finally
        {
            stream?.Dispose();
        }
    }

    /// <summary>The first frame as RGB, any transparency laid on the page it implies (<see cref="Transparency"/>).</summary>
    public Image<Rgb24> Decode()
    {
        try
        {
            _stream.Position = 0;
            if (!MayHaveAlpha)
                return Image.Load<Rgb24>(_stream);
            using Image<Rgba32> rgba = Image.Load<Rgba32>(_stream);
            return Transparency.OntoPage(rgba);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or UserInputException))
        {
            throw Unreadable(e);
        }
    }

    public void Dispose() => _stream.Dispose();

    // A header the decoder cannot read may be one cut short (a TIFF's directory is often at its end): that is the reason to give.
    private static IImageInfo Identify(FileStream stream, IImageFormat format)
    {
        try
        {
            stream.Position = 0;
            return Image.Identify(stream) ?? throw new UserInputException("not an image in a known format");
        }
        catch (Exception e) when (e is not (OutOfMemoryException or UserInputException))
        {
            EnsureWhole(stream, format);
            throw;
        }
    }

    private static void EnsureWhole(FileStream stream, IImageFormat format)
    {
        string? cut = ImageEnd.Missing(stream, format.Name);
        if (cut is not null)
            throw new UserInputException($"is truncated: {cut}");
    }

    // The file system's and the decoders' own words; a decoder's other failures on damaged data
    // (InvalidOperationException for a cut-off TIFF, say) with their type, which is all they tell.
    private static UserInputException Unreadable(Exception e) =>
        e is ImageFormatException or NotSupportedException or IOException or UnauthorizedAccessException or ArgumentException
            ? new UserInputException(e.Message.TrimEnd('.'), e)
            : new UserInputException($"cannot be decoded ({e.GetType().Name}: {e.Message.TrimEnd('.')})", e);

    /// <summary>
    /// PNG says so in its header (a colour type with alpha) or with a tRNS chunk; GIF and WebP may always be; other
    /// formats when they store 32 or more bits a pixel. JPEG never is.
    /// </summary>
    private static bool MayBeTransparent(FileStream stream, IImageInfo info, string format)
    {
        if (format == "PNG")
            return info.Metadata.GetPngMetadata().ColorType is PngColorType.RgbWithAlpha or PngColorType.GrayscaleWithAlpha
                || HasPngChunkBeforeData(stream, "tRNS"u8);
        return format is "GIF" or "Webp" || (format != "JPEG" && info.PixelType.BitsPerPixel >= 32);
    }

    // ImageSharp 2.1's Identify does not report a palette's transparency (tRNS): the chunks before the image data are
    // walked for it, each a length, a type, its data and a CRC.
    private static bool HasPngChunkBeforeData(FileStream stream, ReadOnlySpan<byte> type)
    {
        var header = new byte[8];
        for (long at = 8; at + header.Length <= stream.Length; at += 12L + BinaryPrimitives.ReadUInt32BigEndian(header))
        {
            stream.Position = at;
            stream.ReadExactly(header);
            if (header.AsSpan(4).SequenceEqual("IDAT"u8))
                return false;
            if (header.AsSpan(4).SequenceEqual(type))
                return true;
        }
        return false;
    }
}
