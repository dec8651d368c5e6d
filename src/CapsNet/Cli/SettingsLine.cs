using System.Globalization;
using CapsNet.Training;

namespace CapsNet.Cli;

/// <summary>The settings of a run on one line, flag names and values, as the reference prints its parsed arguments.</summary>
public static class SettingsLine
{
    public static string Format(RunSettings s)
    {
        var pairs = new (string Flag, object? Value)[]
        {
            ("epochs", s.Epochs), ("batch_size", s.BatchSize), ("lr", s.Lr), ("lr_decay", s.LrDecay), ("lam_recon", s.LamRecon),
            ("routings", s.Routings), ("shift_fraction", s.ShiftFraction), ("debug", s.Debug), ("save_dir", s.SaveDir),
            ("testing", s.Testing), ("digit", s.Digit ?? "default"), ("weights", s.Weights), ("seed", s.Seed), ("device", s.Device),
            ("precision", s.Precision), ("threads", s.Threads), ("dataset", s.Dataset), ("channels", s.Channels),
            ("image_size", s.ImageSize), ("train_samples", s.TrainSamples), ("test_samples", s.TestSamples),
            ("val_samples", s.ValSamples), ("resume", s.Resume),
        };
        return "Settings: " + string.Join(" ", pairs.Select(p => $"{p.Flag}={Text(p.Value)}"));
    }

    private static string Text(object? value) => value switch
    {
        null => "none",
        bool b => b ? "true" : "false",
        Enum e => e.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => ShellWord.Quote(value.ToString()!),
    };
}
