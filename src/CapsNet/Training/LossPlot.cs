using ScottPlot;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CapsNet.Training;

/// <summary>
/// The figure capsulenet.py draws but never saves: 400x600, "Training loss" on top, "Training and validation
/// accuracy" below, against the epoch.
/// </summary>
internal static class LossPlot
{
    public const int Width = 400;
    public const int Height = 600;

    public static void Save(IReadOnlyList<EpochMetrics> rows, string path, FaultPoints? faults = null)
    {
        var (top, bottom) = Panels(rows);
        using var figure = new Image<Rgba32>(Width, Height);
        using (top)
        using (bottom)
        using (var upper = SixLabors.ImageSharp.Image.Load<Rgba32>(top.GetImageBytes(Width, Height / 2, ImageFormat.Png)))
        using (var lower = SixLabors.ImageSharp.Image.Load<Rgba32>(bottom.GetImageBytes(Width, Height / 2, ImageFormat.Png)))
            figure.Mutate(c => c.DrawImage(upper, new Point(0, 0), 1f).DrawImage(lower, new Point(0, Height / 2), 1f));
        AtomicFile.Write(path, stream => figure.SaveAsPng(stream), faults);
    }

    /// <summary>The figure's two panels, not yet drawn; the caller disposes them.</summary>
    public static (Plot Top, Plot Bottom) Panels(IReadOnlyList<EpochMetrics> rows)
    {
        double[] epochs = rows.Select(r => r.Epoch + 1.0).ToArray();  // whole, 1-based epochs, as the reference's plot has
        int[] ticks = EpochTicks(rows);
        var top = Panel("Training loss", epochs, ticks, Alignment.UpperRight,
            ("capsnet_loss", rows.Select(r => r.CapsnetLoss)),
            ("decoder_loss", rows.Select(r => r.DecoderLoss)),
            ("loss", rows.Select(r => r.Loss)));
        var bottom = Panel("Training and validation accuracy", epochs, ticks, Alignment.LowerRight,
            ("capsnet_accuracy", rows.Select(r => r.CapsnetAccuracy)),
            ("val_capsnet_accuracy", rows.Select(r => r.ValCapsnetAccuracy)));
        return (top, bottom);
    }

    /// <summary>One panel; the legend goes in the corner the curves leave free (losses fall, accuracies rise).</summary>
    private static Plot Panel(string title, double[] epochs, int[] ticks, Alignment legend,
        params (string Label, IEnumerable<double> Values)[] series)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("Epoch");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(t => (double)t).ToArray(),
            ticks.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        foreach (var (label, values) in series)
        {
            var line = plot.Add.Scatter(epochs, values.ToArray());
            line.LegendText = label;
        }
        plot.ShowLegend(legend);
        return plot;
    }

    /// <summary>The epochs the axis labels: whole ones only, at most about eight: 1, 2, 3 ... or 1, 10, 20 ... for long runs.</summary>
    public static int[] EpochTicks(IReadOnlyList<EpochMetrics> rows)
    {
        int last = rows.Count == 0 ? 1 : rows[^1].Epoch + 1;
        int step = new[] { 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000 }.FirstOrDefault(s => last / s <= 8, 1000);
        return Enumerable.Range(1, last).Where(e => e == 1 || e % step == 0).ToArray();
    }
}
