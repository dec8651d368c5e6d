using System.CommandLine;
using CapsNet.Training;
using Spectre.Console;

namespace CapsNet.Cli;

/// <summary>
/// The job of a run resumed from its checkpoint: the run the checkpoint stores (read once, never re-parsed), this
/// sitting's own settings (device, threads, folders) from the command line, and --epochs when given, to extend a
/// run, not below the epochs trained. A run-defining flag that contradicts the stored run is refused, each difference
/// named. Checkpoints of earlier versions store the run as flag strings: each is read as its option reads it.
/// </summary>
internal static class ResumedRun
{
    public static TrainingJob Reconcile(TrainSettings all, ParseResult parsed, TrainingJob given, Checkpoint checkpoint,
        IAnsiConsole console)
    {
        IReadOnlyList<TrainSetting> settings = all.All;
        TrainSetting epochs = all.EpochsSetting;
        TrainingJob stored = Stored(settings, given, checkpoint, console);
        var differences = settings
            .Where(setting => setting.RunDefining && setting != epochs && setting.GivenIn(parsed)
                && setting.Text(given) != setting.Text(stored))
            .Select(setting => $"{setting.Name} stored {setting.Text(stored) ?? "none"}, given {setting.Text(given) ?? "none"}")
            .ToList();
        if (epochs.GivenIn(parsed) && given.Run.Training.Epochs < checkpoint.NextEpoch)
            differences.Add($"--epochs {given.Run.Training.Epochs} is fewer than the {checkpoint.NextEpoch} already trained");
        if (differences.Count > 0)
            throw new UsageException($"Cannot resume '{given.SaveDir}' with other settings: {string.Join("; ", differences)}. " +
                "Leave those flags out to continue the run as it was.");

        TrainingJob resumed = epochs.GivenIn(parsed) ? epochs.Copy(given, stored) : stored;
        string[] kept = settings.Where(setting => setting.RunDefining && !setting.GivenIn(parsed) && setting.Text(resumed) is not null)
            .Select(setting => $"{setting.Name}={setting.Text(resumed)}").ToArray();
        console.Line($"Stored settings of the run: {string.Join(" ", kept)}");
        return resumed;
    }

    /// <summary><paramref name="given"/>'s own settings with the run the checkpoint stores.</summary>
    private static TrainingJob Stored(IReadOnlyList<TrainSetting> settings, TrainingJob given, Checkpoint checkpoint, IAnsiConsole console)
    {
        if (checkpoint.Run is RunConfig run)
            return given with { Run = run };
        LegacyRun legacy = checkpoint.Legacy!;
        string file = Path.Combine(given.SaveDir, RunFiles.CheckpointFile);
        TrainingJob stored = given;
        if (legacy.Settings is null)
        {
            console.Line($"'{file}' predates stored settings; the flags given are used as they are.");
        }
        else
        {
            // Flags without a value were not stored: what is missing is the default.
            stored = given with { Run = TrainSettings.Defaults.Run };
            foreach (TrainSetting setting in settings.Where(setting => setting.RunDefining))
            {
                string? text = setting.Option.Aliases.Prepend(setting.Name).Select(legacy.ValueOf).FirstOrDefault(value =>
                    value is not null);
                try
                {
                    stored = text is null ? stored : setting.ReadText(text, stored);
                }
                catch (UserInputException e)
                {
                    throw new UserInputException($"'{file}' stores a setting this program refuses: {e.Message}", e);
                }
            }
        }
        return legacy.Epochs is int epochs
            ? stored with { Run = stored.Run with { Training = stored.Run.Training with { Epochs = epochs } } }
            : stored;
    }
}
