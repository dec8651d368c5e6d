using System.CommandLine;
using CapsNet.Inference;

namespace CapsNet.Cli;

/// <summary><c>capsnet predict</c>: the options into a <see cref="PredictJob"/> for a <see cref="PredictSession"/>.</summary>
internal sealed class PredictCommand : Command
{
    public PredictCommand(CapsNetOptions o, CapsNetContext context)
        : base("predict",
            "Classify pictures (files or folders) with trained weights; prints a table and writes predictions.csv into --save_dir.")
    {
        Arguments.Add(o.Paths);
        foreach (Option option in new Option[] { o.Weights, o.Routings, o.Preprocess, o.Recon, o.SaveDir, o.BatchSize, o.Device,
            o.Precision, o.Threads, o.MaxMemory })
            Options.Add(option);
        SetAction(parsed => context.Report(() =>
        {
            var job = new PredictJob(parsed.GetValue(o.Paths)!, parsed.GetValue(o.SaveDir)!.ToString(), parsed.GetValue(o.BatchSize))
            {
                Weights = parsed.GetValue(o.Weights)?.ToString(),
                Routings = parsed.GetValue(o.Routings),
                Preprocess = parsed.GetValue(o.Preprocess),
                Recon = parsed.GetValue(o.Recon),
                Device = parsed.GetValue(o.Device),
                Precision = parsed.GetValue(o.Precision),
                Threads = parsed.GetValue(o.Threads),
                MaxMemory = parsed.GetValue(o.MaxMemory),
            };
            return new PredictSession(context.Console, context.Error).Run(job) ? 0 : Failures.ExitCode;
        }));
    }
}
