using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CapsNet.Imaging;

/// <summary>
/// Decodes PNG, JPEG, BMP, GIF, TIFF and WebP files to RGB, refusing before decoding any whose header declares
/// more pixels than a real photo has (so a forged header cannot make us allocate gigabytes) and any cut off before
/// its format's end (<see cref="ImageEnd"/>). Transparent pixels are laid on a page (<see cref="Transparency"/>).
/// </summary>
internal static class ImageReader
{
    /// <summary>The image's first frame as RGB; every failure is a <see cref="UserInputException"/> saying why.</summary>
    public static Image<Rgb24> Read(string path)
    {
        using PictureFile picture = PictureFile.Open(path);
        return picture.Decode();
    }
}
