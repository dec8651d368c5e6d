using CapsNet.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CapsNet.Tests.Training;

/// <summary>Which curve is drawn where in log.png, read from the pixels of each curve's colour.</summary>
public sealed class LossPlotTests : IDisposable
{
    // The first three colours of the palette (matplotlib's, as in the reference's plot), in the order the curves are added.
    private static readonly Rgba32 Blue = Rgba32.ParseHex("1F77B4"), Orange = Rgba32.ParseHex("FF7F0E"), Green = Rgba32.ParseHex("2CA02C");
    private const int PanelHeight = LossPlot.Height / 2;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void LossesAreDrawnAboveAndAccuraciesBelowEachAtItsValue()
    {
        // Ten epochs; at epoch 1: loss 0.6 > capsnet_loss 0.5 > decoder_loss 0.3, val accuracy 0.6 > accuracy 0.5.
        var rows = Enumerable.Range(0, 10).Select(e => new EpochMetrics(e, CapsnetAccuracy: 0.5 + 0.05 * e, CapsnetLoss: 0.5 - 0.045 * e,
            DecoderLoss: 0.3 - 0.02 * e, Loss: 0.6 - 0.05 * e, ValCapsnetAccuracy: 0.6 + 0.04 * e, ValCapsnetLoss: 0.4, ValDecoderLoss: 0.2,
            ValLoss: 0.5, Lr: 0.001)).ToList();
        string path = _dir.File("log.png");

        LossPlot.Save(rows, path);

        using var image = Image.Load<Rgba32>(path);
        Assert.Equal((LossPlot.Width, LossPlot.Height), (image.Width, image.Height));
        double loss = RowAtFirstEpoch(image, Green, top: 0), capsnetLoss = RowAtFirstEpoch(image, Blue, top: 0),
            decoderLoss = RowAtFirstEpoch(image, Orange, top: 0);
        Assert.True(loss < capsnetLoss && capsnetLoss < decoderLoss, $"rows at epoch 1: loss {loss}, capsnet_loss {capsnetLoss}, decoder_loss {decoderLoss}");
        double accuracy = RowAtFirstEpoch(image, Blue, top: PanelHeight), valAccuracy = RowAtFirstEpoch(image, Orange, top: PanelHeight);
        Assert.True(valAccuracy < accuracy, $"rows at epoch 1: capsnet_accuracy {accuracy}, val_capsnet_accuracy {valAccuracy}");
        Assert.Empty(Pixels(image, Green, top: PanelHeight));  // two curves below
    }

    // The mean row of the colour's pixels in the five leftmost columns where it appears in the panel: the marker at
    // epoch 1 (the legends are on the right). A higher value is drawn higher up, at a smaller row.
    private static double RowAtFirstEpoch(Image<Rgba32> image, Rgba32 colour, int top)
    {
        var pixels = Pixels(image, colour, top);
        Assert.NotEmpty(pixels);
        int left = pixels.Min(p => p.X);
        return pixels.Where(p => p.X < left + 5).Average(p => p.Y);
    }

    private static List<(int X, int Y)> Pixels(Image<Rgba32> image, Rgba32 colour, int top) =>
        (from y in Enumerable.Range(top, PanelHeight) from x in Enumerable.Range(0, image.Width) where image[x, y] == colour select (x, y)).ToList();
}
