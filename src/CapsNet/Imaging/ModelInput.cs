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
        if (Resolve(preprocess, channels) == Preprocess.Mnist)
            return DigitPreprocessing.Prepare(image, side);

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

    /// <summary>What <paramref name="preprocess"/> is for a model of <paramref name="channels"/>: Mnist or None, never Auto.</summary>
    public static Preprocess Resolve(Preprocess preprocess, int channels) => (preprocess, channels) switch
    {
        (Preprocess.None, _) => Preprocess.None,
        (_, 1) => Preprocess.Mnist,
        (Preprocess.Auto, _) => Preprocess.None,
        _ => throw new GreyModelsOnlyException(),
    };
}
