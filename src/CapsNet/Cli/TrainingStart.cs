using CapsNet.Model;
using CapsNet.Training;
using Spectre.Console;
using TorchSharp.Modules;

namespace CapsNet.Cli;

/// <summary>
/// Where a training run starts in its save_dir, decided under the folder's lock: from the last complete
/// checkpoint with --resume, else from the beginning; either way the folder is first brought in line with that
/// start (<see cref="RunFolder"/>). A new run does not replace an unfinished one unless told to.
/// </summary>
public static class TrainingStart
{
    /// <summary>Prepares save_dir and the state to train from; returns the first epoch to train (0-based).</summary>
    /// <param name="checkpoint">With --resume, the folder's checkpoint as <see cref="Checkpoint.Read"/> gave it; else ignored. Read under the folder's lock: <see cref="RunHandler"/> locks a folder that exists before anything else, and without the folder there is no checkpoint.</param>
    public static int Prepare(RunSettings settings, Checkpoint? checkpoint, TrainingArtifacts artifacts, CapsuleNetwork model, Adam optimizer,
        IAnsiConsole console)
    {
        string saveDir = settings.SaveDir;
        if (!settings.Resume)
        {
            Checkpoint? previous = Checkpoint.ReadOrNull(saveDir);
            if (previous is { Finished: false } && !settings.Overwrite)
                throw new UserInputException($"'{saveDir}' holds an unfinished training run ({Progress(previous)}). Continue it with --resume, or start over with --overwrite.");
            RunFolder.Clear(saveDir, keep: settings.Weights);
            return 0;
        }

        if (checkpoint is null)
        {
            if (!RunFolder.HasRunFiles(saveDir))
                throw new UserInputException($"Cannot resume: no {Checkpoint.FileName} in '{saveDir}'. Train without --resume first.");
            // A run killed before its first checkpoint was complete: nothing of it can be continued.
            console.Line($"No complete checkpoint in '{saveDir}': the run stopped before its first epoch was saved. Starting from epoch 1.");
            RunFolder.Clear(saveDir, keep: settings.Weights);
            return 0;
        }
        if (checkpoint.Settings is null)
            console.Line($"'{Path.Combine(saveDir, Checkpoint.FileName)}' predates stored settings; the flags given are used as they are.");
        if (settings.Weights is not null)
            console.Line($"-w '{settings.Weights}' is not loaded: a resumed run continues from its checkpoint's weights.");
        RunFolder.RollBack(saveDir, checkpoint);
        Checkpoint.Load(saveDir, checkpoint, model, optimizer);
        artifacts.Resume(checkpoint);
        console.Line($"Resuming at epoch {checkpoint.NextEpoch + 1}/{settings.Epochs} from '{Path.Combine(saveDir, Checkpoint.FileName)}'.");
        return checkpoint.NextEpoch;
    }

    private static string Progress(Checkpoint checkpoint) =>
        checkpoint.Epochs is int epochs ? $"{checkpoint.NextEpoch} of {epochs} epochs trained" : $"{checkpoint.NextEpoch} epochs trained";
}
