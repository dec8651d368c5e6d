using System.CommandLine;
using System.CommandLine.Parsing;

namespace CapsNet.Cli;

/// <summary><c>capsnet train</c>: its options (<see cref="TrainSettings"/>) and <see cref="TrainHandler"/>.</summary>
internal sealed class TrainCommand : Command
{
    public TrainCommand(CapsNetOptions o, TrainSettings settings, CapsNetContext context)
        : base("train", "Train a CapsNet on a data set; writes log.csv, weights and checkpoints into --save_dir.")
    {
        foreach (TrainSetting setting in settings.All)
            Options.Add(setting.Option);
        Validators.Add(result => RejectContradictions(o, result));
        SetAction(parsed => context.Report(() => TrainHandler.Run(settings, parsed, context)));
    }

    public static void RejectContradictions(CapsNetOptions o, CommandResult result)
    {
        if (result.GetValue(o.Resume) && result.GetValue(o.Overwrite))
            result.AddError("--resume and --overwrite exclude each other: continue the run in save_dir, or start it over.");
    }
}
