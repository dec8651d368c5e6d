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
        double[] epochs = rows.Select(r => r.Epoch + 1.0).ToArray();  // whole, 1-based epochs, as the reference's plot has
        byte[] top = Panel("Training loss", epochs, Alignment.UpperRight,
            ("capsnet_loss", rows.Select(r => r.CapsnetLoss)),
            ("decoder_loss", rows.Select(r => r.DecoderLoss)),
            ("loss", rows.Select(r => r.Loss)));
        byte[] bottom = Panel("Training and validation accuracy", epochs, Alignment.LowerRight,
            ("capsnet_accuracy", rows.Select(r => r.CapsnetAccuracy)),
            ("val_capsnet_accuracy", rows.Select(r => r.ValCapsnetAccuracy)));

        using var figure = new Image<Rgba32>(Width, Height);
        using (var upper = SixLabors.ImageSharp.Image.Load<Rgba32>(top))
        using (var lower = SixLabors.ImageSharp.Image.Load<Rgba32>(bottom))
            figure.Mutate(c => c.DrawImage(upper, new Point(0, 0), 1f).DrawImage(lower, new Point(0, Height / 2), 1f));
        AtomicFile.Write(path, stream => figure.SaveAsPng(stream), faults);
    }

    /// <summary>One panel; the legend goes in the corner the curves leave free (losses fall, accuracies rise).</summary>
    private static byte[] Panel(string title, double[] epochs, Alignment legend, params (string Label, IEnumerable<double> Values)[] series)
    {
        using var plot = new Plot();
        plot.Title(title);
        plot.XLabel("Epoch");
        plot.Axes.Bottom.TickGenerator = EpochTicks(epochs.Length == 0 ? 1 : (int)epochs[^1]);
        foreach (var (label, values) in series)
        {
            var line = plot.Add.Scatter(epochs, values.ToArray());
            line.LegendText = label;
        }
        plot.ShowLegend(legend);
        return plot.GetImageBytes(Width, Height / 2, ImageFormat.Png);
    }

    /// <summary>Whole epochs only, at most about eight labels: 1, 2, 3 ... or 1, 10, 20 ... for long runs.</summary>
    private static ScottPlot.TickGenerators.NumericManual EpochTicks(int lastEpoch)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        int step = new[] { 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000 }.FirstOrDefault(s => lastEpoch / s <= 8, 1000);
        foreach (int epoch in Enumerable.Range(1, lastEpoch).Where(e => e == 1 || e % step == 0))
            ticks.AddMajor(epoch, epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return ticks;
    }
}
