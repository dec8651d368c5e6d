using CapsNet.Training;
using Alignment = ScottPlot.Alignment;
using Plot = ScottPlot.Plot;
using Scatter = ScottPlot.Plottables.Scatter;
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
        // Ten epochs; at epoch 1: loss 0.6 > capsnet_loss 0.5 > decoder_loss 0.3, val accuracy 0.6 > accuracy 0.5;
        // losses fall and accuracies rise. The validation losses (not drawn) are flat and in another order, so that
        // drawing one in place of its training loss shows, as does drawing a loss in place of an accuracy.
        var rows = Enumerable.Range(0, 10).Select(e => new EpochMetrics(e, CapsnetAccuracy: 0.5 + 0.05 * e, CapsnetLoss: 0.5 - 0.045 * e,
            DecoderLoss: 0.3 - 0.02 * e, Loss: 0.6 - 0.05 * e, ValCapsnetAccuracy: 0.6 + 0.04 * e, ValCapsnetLoss: 0.65,
                ValDecoderLoss: 0.55,
            ValLoss: 0.1, Lr: 0.001)).ToList();
        string path = _dir.File("log.png");

        LossPlot.Save(rows, path);

        using var image = Image.Load<Rgba32>(path);
        Assert.Equal((LossPlot.Width, LossPlot.Height), (image.Width, image.Height));
        Rgba32[] losses = [Green, Blue, Orange];  // loss, capsnet_loss, decoder_loss
        double[] first = MarkerRows(image, top: 0, FirstEpoch, losses), last = MarkerRows(image, top: 0, LastEpoch, losses);
        Assert.True(first[0] < first[1] && first[1] < first[2],
            $"rows of loss, capsnet_loss, decoder_loss at epoch 1: {string.Join(", ", first)}");
        Assert.All(Enumerable.Range(0, 3), i => Assert.True(last[i] > first[i], $"curve {i} of the losses does not fall"));

        Rgba32[] accuracies = [Orange, Blue];  // val_capsnet_accuracy, capsnet_accuracy
        first = MarkerRows(image, top: PanelHeight, FirstEpoch, accuracies);
        last = MarkerRows(image, top: PanelHeight, LastEpoch, accuracies);
        Assert.True(first[0] < first[1], $"rows of val_capsnet_accuracy, capsnet_accuracy at epoch 1: {string.Join(", ", first)}");
        Assert.All(Enumerable.Range(0, 2), i => Assert.True(last[i] < first[i], $"curve {i} of the accuracies does not rise"));
        Assert.Empty(Pixels(image, Green, top: PanelHeight));  // two curves below
    }

    [Fact]
    public void EachPanelHasTheReferencesTitleLabelsAndLegendAndDrawsEachMetricAtItsEpoch()
    {
        // Every metric of every epoch a different value: metric m of epoch e is m + e / 10.
        var rows = Enumerable.Range(0, 3).Select(e => new EpochMetrics(e, CapsnetAccuracy: 1 + e / 10.0, CapsnetLoss: 2 + e / 10.0,
            DecoderLoss: 3 + e / 10.0, Loss: 4 + e / 10.0, ValCapsnetAccuracy: 5 + e / 10.0, ValCapsnetLoss: 6, ValDecoderLoss: 7,
            ValLoss: 8, Lr: 0.001)).ToList();

        var (top, bottom) = LossPlot.Panels(rows);
        using (top)
        using (bottom)
        {
            AssertPanel(top, "Training loss", Alignment.UpperRight, ("capsnet_loss", 2), ("decoder_loss", 3), ("loss", 4));
            AssertPanel(bottom, "Training and validation accuracy", Alignment.LowerRight, ("capsnet_accuracy", 1),
                ("val_capsnet_accuracy", 5));
        }
    }

    private static void AssertPanel(Plot panel, string title, Alignment legend, params (string Label, double First)[] curves)
    {
        Assert.Equal(title, panel.Axes.Title.Label.Text);
        Assert.Equal("Epoch", panel.Axes.Bottom.Label.Text);
        Assert.True(panel.Legend.IsVisible);
        Assert.Equal(legend, panel.Legend.Alignment);
        var drawn = panel.GetPlottables<Scatter>().Select(s => (s.LegendText,
            string.Join(" ", s.Data.GetScatterPoints().Select(p => $"({p.X}, {p.Y:0.0})")))).ToList();
        var expected = curves.Select(c => (c.Label, $"(1, {c.First:0.0}) (2, {c.First + 0.1:0.0}) (3, {c.First + 0.2:0.0})")).ToList();
        Assert.Equal(expected, drawn);
        panel.GetImageBytes(LossPlot.Width, PanelHeight, ScottPlot.ImageFormat.Png);  // places the ticks
        Assert.Equal("1 2 3", string.Join(" ", panel.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label)));
    }

    [Fact]
    public void TheEpochAxisLabelsWholeEpochsAtMostAboutEightOfThem()
    {
        // The step is the first of 1, 2, 5, 10, 20, 25, 50 ... that leaves at most 8 steps to the last epoch; epoch 1
        // is always labelled. An empty log draws an axis of one epoch.
        var cases = new (int Epochs, string Ticks)[]
        {
            (0, "1"), (1, "1"), (8, "1 2 3 4 5 6 7 8"), (9, "1 2 4 6 8"), (17, "1 2 4 6 8 10 12 14 16"), (18, "1 5 10 15"),
            (40, "1 5 10 15 20 25 30 35 40"), (50, "1 10 20 30 40 50"), (200, "1 25 50 75 100 125 150 175 200"),
            (9000, "1 1000 2000 3000 4000 5000 6000 7000 8000 9000"),
        };
        Assert.All(cases, c =>
        {
            var rows = Enumerable.Range(0, c.Epochs).Select(e => new EpochMetrics(e, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.001))
                .ToList();
            Assert.Equal($"{c.Epochs}: {c.Ticks}", $"{c.Epochs}: {string.Join(" ", LossPlot.EpochTicks(rows))}");
        });
    }

    private const bool FirstEpoch = true, LastEpoch = false;

    // For each colour, the mean row of its pixels in the five columns from the panel's leftmost (or rightmost) curve
    // pixel: the markers at the first (last) epoch; the legends lie between. A higher value is drawn higher up, at a
    // smaller row. A curve hidden under another there (drawn at the same values) has too few pixels left to be a marker.
    private static double[] MarkerRows(Image<Rgba32> image, int top, bool firstEpoch, Rgba32[] colours)
    {
        var curves = colours.Select(colour => Pixels(image, colour, top)).ToArray();
        var all = curves.SelectMany(pixels => pixels).ToList();
        int edge = firstEpoch ? all.Min(p => p.X) : all.Max(p => p.X);
        return curves.Select((pixels, i) =>
        {
            var marker = pixels.Where(p => Math.Abs(p.X - edge) < 5).ToList();
            Assert.True(marker.Count >= 10,
                $"{marker.Count} pixels of {colours[i].ToHex()} at the {(firstEpoch ? "first" : "last")} epoch");
            return marker.Average(p => p.Y);
        }).ToArray();
    }

    private static List<(int X, int Y)> Pixels(Image<Rgba32> image, Rgba32 colour, int top) =>
        (from y in Enumerable.Range(top, PanelHeight) from x in Enumerable.Range(0, image.Width) where image[x, y] == colour select (x,
            y)).ToList();
}
