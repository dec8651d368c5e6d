using System.CommandLine;
using CapsNet.Training;

namespace CapsNet.Cli;

/// <summary>
/// Runs <c>capsnet train</c> (and the flat form without -t): the job from the options, the session, and what an interruption says.
/// </summary>
internal static class TrainHandler
{
    public static int Run(TrainSettings settings, ParseResult parsed, CapsNetContext context)
    {
        TrainingJob job = settings.Read(parsed);
        // Locked before anything is read, so that a second run into the folder stops at once, having written nothing.
        using LockedFolder folder = LockedFolder.Open(job.SaveDir);
        Checkpoint? checkpoint = job.Resume ? Checkpoint.Read(job.SaveDir) : null;
        if (checkpoint is not null)
            job = ResumedRun.Reconcile(settings, parsed, job, checkpoint, context.Console);
        context.Console.Line(SettingsLine.Format(settings.All.Select(setting => (setting.Name, setting.Text(job)))));
        if (checkpoint is not null && job.Weights is not null)
            context.Console.Line($"-w '{job.Weights}' is not loaded: a resumed run continues from its checkpoint's weights.");

        using var interruption = new Interruption(context.Error);
        TrainingOutcome outcome = new TrainingSession(context.Console, context.Faults).Run(job, folder, checkpoint, interruption.Token);
        if (outcome.Finished)
            return 0;
        string[] args = parsed.Tokens.Select(token => token.Value).ToArray();
        if (outcome.EpochsKept > 0)
        {
            string kept = outcome.EpochsKept == 1 ? "1 finished epoch is" : $"{outcome.EpochsKept} finished epochs are";
            context.Error.WriteLine($"Interrupted. {kept} saved in '{job.SaveDir}'. Resume with:");
            context.Error.WriteLine($"  {ResumeCommand.Format(args, resume: true)}");
        }
        else
        {
            context.Error.WriteLine($"Interrupted before the first epoch finished: no epoch is saved in '{job.SaveDir}'. Start again " +
                "with:");
            context.Error.WriteLine($"  {ResumeCommand.Format(args, resume: false)}");
        }
        return Interruption.ExitCode;
    }
}
