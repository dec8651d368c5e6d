using System.CommandLine;
using CapsNet.Training;

namespace CapsNet.Cli;

/// <summary>
/// <c>capsnet test</c> (and the flat form with -t): the options into a <see cref="TestJob"/> for a <see cref="TestSession"/>.
/// </summary>
internal sealed class TestCommand : Command
{
    public TestCommand(CapsNetOptions o, CapsNetContext context)
        : base("test", "Test trained weights on a data set's test images; writes real_and_recon.png and manipulate-{digit}.png.")
    {
        foreach (Option option in OptionsOf(o))
            Options.Add(option);
        SetAction(parsed => context.Report(() => Run(o, parsed, context)));
    }

    public static Option[] OptionsOf(CapsNetOptions o) =>
        [o.BatchSize, o.Routings, o.SaveDir, o.Digit, o.Weights, o.Seed, o.Device, o.Precision, o.Threads, o.Dataset, o.TestSamples,
            o.PairShift, o.MaxMemory];

    public static int Run(CapsNetOptions o, ParseResult parsed, CapsNetContext context)
    {
        context.Console.Line(SettingsLine.Format(OptionsOf(o), parsed));
        var job = new TestJob(parsed.GetValue(o.SaveDir)!.ToString(), parsed.GetValue(o.BatchSize), parsed.GetValue(o.Seed),
            parsed.GetValue(o.Precision))
        {
            Weights = parsed.GetValue(o.Weights)?.ToString(),
            Routings = parsed.GetValue(o.Routings),
            Digit = parsed.GetValue(o.Digit),
            Device = parsed.GetValue(o.Device),
            Threads = parsed.GetValue(o.Threads),
            Dataset = parsed.GetValue(o.Dataset),
            TestSamples = parsed.GetValue(o.TestSamples),
            PairShift = parsed.GetValue(o.PairShift),
            MaxMemory = parsed.GetValue(o.MaxMemory),
        };
        new TestSession(context.Console).Run(job);
        return 0;
    }
}
