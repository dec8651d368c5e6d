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
        // Ten epochs; at epoch 1: loss 0.6 > capsnet_loss 0.5 > decoder_loss 0.3, val accuracy 0.6 > accuracy 0.5. The
        // validation losses (not drawn) are in another order, so that drawing one in place of its training loss shows.
        var rows = Enumerable.Range(0, 10).Select(e => new EpochMetrics(e, CapsnetAccuracy: 0.5 + 0.05 * e, CapsnetLoss: 0.5 - 0.045 * e,
            DecoderLoss: 0.3 - 0.02 * e, Loss: 0.6 - 0.05 * e, ValCapsnetAccuracy: 0.6 + 0.04 * e, ValCapsnetLoss: 0.65, ValDecoderLoss: 0.55,
            ValLoss: 0.1, Lr: 0.001)).ToList();
        string path = _dir.File("log.png");

        LossPlot.Save(rows, path);

        using var image = Image.Load<Rgba32>(path);
        Assert.Equal((LossPlot.Width, LossPlot.Height), (image.Width, image.Height));
        double[] losses = RowsAtFirstEpoch(image, top: 0, Green, Blue, Orange);  // loss, capsnet_loss, decoder_loss
        Assert.True(losses[0] < losses[1] && losses[1] < losses[2], $"rows of loss, capsnet_loss, decoder_loss at epoch 1: {string.Join(", ", losses)}");
        double[] accuracies = RowsAtFirstEpoch(image, top: PanelHeight, Orange, Blue);  // val_capsnet_accuracy, capsnet_accuracy
        Assert.True(accuracies[0] < accuracies[1], $"rows of val_capsnet_accuracy, capsnet_accuracy at epoch 1: {string.Join(", ", accuracies)}");
        Assert.Empty(Pixels(image, Green, top: PanelHeight));  // two curves below
    }

    // For each colour, the mean row of its pixels in the five columns from the panel's leftmost curve pixel: the
    // markers at epoch 1 (the legends are on the right). A higher value is drawn higher up, at a smaller row. A
    // curve hidden under another there (drawn at the same values) has too few pixels left to be a marker.
    private static double[] RowsAtFirstEpoch(Image<Rgba32> image, int top, params Rgba32[] colours)
    {
        var curves = colours.Select(colour => Pixels(image, colour, top)).ToArray();
        int left = curves.SelectMany(pixels => pixels).Min(p => p.X);
        return curves.Select((pixels, i) =>
        {
            var marker = pixels.Where(p => p.X < left + 5).ToList();
            Assert.True(marker.Count >= 10, $"{marker.Count} pixels of {colours[i].ToHex()} at epoch 1");
            return marker.Average(p => p.Y);
        }).ToArray();
    }

    private static List<(int X, int Y)> Pixels(Image<Rgba32> image, Rgba32 colour, int top) =>
        (from y in Enumerable.Range(top, PanelHeight) from x in Enumerable.Range(0, image.Width) where image[x, y] == colour select (x, y)).ToList();
}
