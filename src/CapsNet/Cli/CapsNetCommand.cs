using System.CommandLine;

namespace CapsNet.Cli;

/// <summary>
/// <c>capsnet train|test|predict|convert|export</c>, and the reference's flat form (<c>capsnet [-t] [flags]</c>), which
/// trains or, with -t, tests, exactly as capsulenet.py does, through the train and test commands' handlers.
/// </summary>
internal sealed class CapsNetCommand : RootCommand
{
    public CapsNetCommand(CapsNetContext context)
        : base("Train, test and use Capsule Networks (Sabour et al. 2017), like capsulenet.py. Without a command: " +
               "train, or test with -t, as capsulenet.py does.")
    {
        CapsNetOptions o = Flags;
        var settings = new TrainSettings(o);
        var train = new TrainCommand(o, settings, context);
        var test = new TestCommand(o, context);
        foreach (Option option in train.Options.Union(test.Options).Append(o.Testing))
            Options.Add(option);
        Validators.Add(result => TrainCommand.RejectContradictions(o, result));
        SetAction(parsed => parsed.GetValue(o.Testing)
            ? context.Report(() => TestCommand.Run(o, parsed, context))
            : context.Report(() => TrainHandler.Run(settings, parsed, context)));
        Subcommands.Add(train);
        Subcommands.Add(test);
        Subcommands.Add(new PredictCommand(o, context));
        Subcommands.Add(new ConvertCommand(o, context));
        Subcommands.Add(new ExportCommand(o, context));
    }

    /// <summary>The options every command draws on, one instance each.</summary>
    public CapsNetOptions Flags { get; } = new();
}
