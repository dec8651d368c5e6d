using CapsNet.Training;
using ScottPlot;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CapsNet.Imaging;

/// <summary>
/// The figure capsulenet.py draws but never saves: 400x600, "Training loss" on top, "Training and validation
/// accuracy" below, against the epoch.
/// </summary>
public static class LossPlot
{
    public const int Width = 400;
    public const int Height = 600;

    public static void Save(IReadOnlyList<EpochMetrics> rows, string path)
    {
        double[] epochs = rows.Select(r => (double)r.Epoch).ToArray();
        byte[] top = Panel("Training loss", epochs,
            ("capsnet_loss", rows.Select(r => r.CapsnetLoss)),
            ("decoder_loss", rows.Select(r => r.DecoderLoss)),
            ("loss", rows.Select(r => r.Loss)));
        byte[] bottom = Panel("Training and validation accuracy", epochs,
            ("capsnet_accuracy", rows.Select(r => r.CapsnetAccuracy)),
            ("val_capsnet_accuracy", rows.Select(r => r.ValCapsnetAccuracy)));

        using var figure = new Image<Rgba32>(Width, Height);
        using (var upper = SixLabors.ImageSharp.Image.Load<Rgba32>(top))
        using (var lower = SixLabors.ImageSharp.Image.Load<Rgba32>(bottom))
            figure.Mutate(c => c.DrawImage(upper, new Point(0, 0), 1f).DrawImage(lower, new Point(0, Height / 2), 1f));
        AtomicFile.Write(path, stream => figure.SaveAsPng(stream));
    }

    private static byte[] Panel(string title, double[] epochs, params (string Label, IEnumerable<double> Values)[] series)
    {
        using var plot = new Plot();
        plot.Title(title);
        plot.XLabel("Epoch");
        foreach (var (label, values) in series)
        {
            var line = plot.Add.Scatter(epochs, values.ToArray());
            line.LegendText = label;
        }
        plot.ShowLegend();
        return plot.GetImageBytes(Width, Height / 2, ImageFormat.Png);
    }
}
