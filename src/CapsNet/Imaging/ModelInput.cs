using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CapsNet.Imaging;

/// <summary>How a user's picture becomes a model's input.</summary>
internal enum Preprocess
{
    /// <summary>MNIST's digit preparation for grey models, a plain resize for colour ones.</summary>
    Auto,
    Mnist,
    None,
}

/// <summary>Turns a decoded picture into the pixels [C*side*side] in [0,1] a model of C channels and that side takes.</summary>
internal static class ModelInput
{
    public static float[] From(Image<Rgb24> image, int channels, int side, Preprocess preprocess)
    {
        if (channels == 1 && preprocess != Preprocess.None)
            return DigitPreprocessing.Prepare(image, side);
        if (channels == 3 && preprocess == Preprocess.Mnist)
            throw new UserInputException("MNIST's digit preparation is for grey models; this model takes colour images");

        using Image<Rgb24> sized = image.Clone(c => c.Resize(side, side));
        var rgb = new byte[side * side * 3];
        sized.CopyPixelDataTo(rgb);
        var planes = new byte[channels * side * side];
        PlanarPixels.FromRgb(rgb, channels, planes);
        var pixels = new float[planes.Length];
        for (int p = 0; p < planes.Length; p++)
            pixels[p] = planes[p] / 255f;
        return pixels;
    }
}
