using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CapsNet.Imaging;

/// <summary>
/// Decodes PNG, JPEG, BMP, GIF, TIFF and WebP files to RGB, refusing before decoding any whose header
/// declares more pixels than a real photo has, so a forged header cannot make us allocate gigabytes.
/// </summary>
internal static class ImageReader
{
    /// <summary>100 megapixels: more than any camera photo, far less than a forged header can claim.</summary>
    public const long MaxPixels = 100_000_000;

    /// <summary>The image's first frame as RGB; every failure is a <see cref="UserInputException"/> saying why.</summary>
    public static Image<Rgb24> Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            IImageInfo? info = Image.Identify(stream);
            if (info is null)
                throw new UserInputException("not an image in a known format");
            if ((long)info.Width * info.Height > MaxPixels)
                throw new UserInputException($"declares {info.Width}x{info.Height} pixels, more than the {MaxPixels:N0} accepted");
            stream.Position = 0;
            return Image.Load<Rgb24>(stream);
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new UserInputException(e.Message.TrimEnd('.'), e);
        }
    }
}
