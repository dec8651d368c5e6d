using CapsNet.Data;
using CapsNet.Interop;
using CapsNet.Model;
using CapsNet.Native;
using Spectre.Console;
using static TorchSharp.torch;

namespace CapsNet.Training;

/// <summary>
/// A training run from its folder to its trained model: the data, the network (from the checkpoint, from -w or
/// new), the epochs and their files. Everything that can be wrong with the input (data, device, weights,
/// folder) is checked before the first file is written.
/// </summary>
internal sealed class TrainingSession(IAnsiConsole console, FaultPoints faults)
{
    /// <summary>Trains until the last epoch or until <paramref name="cancel"/>; returns the epochs finished and kept.</summary>
    /// <param name="checkpoint">The folder's checkpoint when resuming, read under the folder's lock.</param>
    public TrainingOutcome Run(TrainingJob job, LockedFolder folder, Checkpoint? checkpoint, CancellationToken cancel)
    {
        TorchRuntime.SetThreads(job.Threads);
        Device device = TorchRuntime.SelectDevice(job.Device);
        ChosenPrecision precision = ChosenPrecision.Choose(job.Run.Training.Precision, device, Processor.NativeBf16);
        RunConfig run = job.Run;
        using DataSet data = DataSets.Load(run.Data.Request(withTrain: true));
        foreach (string warning in data.Warnings)
            console.Line($"warning: {warning}");
        run = run with { Model = ModelForData.Fit(run.Model, data) };
        using HeldOut split = HeldOut.Split(data.Train!, data.Test, run.Data.ValSamples);
        IBatchSource train = data.TrainingBatches(split.Train, run.Training.Seed, run.Data.PairsPerEpoch ?? MultiMnist.DefaultEpochPairs);
        if (run.Training.BatchSize > train.Count)
            throw new BatchTooLargeException(run.Training.BatchSize, train.Count, run.Data.ValSamples);

        // -w is where a new run starts; a resumed one continues from its checkpoint's weights and does not read -w.
        using GivenWeights? start = checkpoint is null && job.Weights is not null ? GivenWeights.Open(job.Weights,
            run.Model.Routings) : null;
        if (start is not null)
            ModelForData.EnsureFits(start, run.Model, data.Name);
        MemoryPlan.EnsureFits(run.Model, run.Training.BatchSize, training: true, precision.Precision, job.MaxMemory);
        using CapsuleNetwork model = CapsuleNetwork.Create(run.Model, run.Training.Seed, precision.Precision, device);
        console.Line(ModelSummary.Format(model));
        console.Line(model.Describe(device, precision));
        if (start is not null)
        {
            start.LoadInto(model);
            console.Line($"Loaded weights from '{start.Source}'.");
        }
        folder.Create();

        using ImageSet? pairs = data.Pairs is null ? null : data.EvaluationPairs(split.Validation);
        ImageSet validation = pairs ?? split.Validation;
        string validationKind = run.Data.ValSamples is null ? "validation (the test set)" : "held-out validation";
        console.Line(data.Pairs is null
            ? $"Data: {train.Count} training and {validation.Count} {validationKind} images from '{data.Name}' ({data.Describe()})."
            : $"Data: {train.Count} training pairs an epoch, drawn afresh from {split.Train.Count} digits, and {validation.Count} " +
              $"{validationKind} pairs from '{data.Name}' ({data.Describe()}).");
        var trainer = new Trainer(model, run.Training, device, console, faults);
        var runFolder = new RunFolder(folder.Path, faults);
        var artifacts = new TrainingArtifacts(runFolder, job.Debug, run, console, faults);
        int firstEpoch = Start(job, checkpoint, runFolder, artifacts, model, trainer);

        if (!trainer.Train(train, new BatchLoader(validation), firstEpoch, artifacts, cancel))
            return new TrainingOutcome(Finished: false, artifacts.EpochsKept);
        console.Line($"Trained model saved to '{artifacts.SaveTrainedModel(model)}'");
        return new TrainingOutcome(Finished: true, run.Training.Epochs);
    }

    /// <summary>
    /// Brings the folder in line with where the run starts, under its lock: from the last complete checkpoint when
    /// resuming, else from the beginning. A new run does not replace an unfinished one unless told to.
    /// </summary>
    private int Start(TrainingJob job, Checkpoint? checkpoint, RunFolder folder, TrainingArtifacts artifacts, CapsuleNetwork model,
        Trainer trainer)
    {
        if (!job.Resume)
        {
            Checkpoint? previous = Checkpoint.ReadOrNull(job.SaveDir);
            if (previous is { Finished: false } && !job.Overwrite)
                throw new UnfinishedRunException(job.SaveDir, previous.Progress);
            folder.Clear(keep: job.Weights);
            return 0;
        }
        if (checkpoint is null)
        {
            if (!folder.HasRunFiles())
                throw new NoRunToResumeException(job.SaveDir);
            // A run killed before its first checkpoint was complete: nothing of it can be continued.
            console.Line($"No complete checkpoint in '{job.SaveDir}': the run stopped before its first epoch was saved. Starting from " +
                "epoch 1.");
            folder.Clear(keep: job.Weights);
            return 0;
        }
        folder.RollBack(checkpoint);
        checkpoint.Load(job.SaveDir, model, trainer.Optimizer);
        artifacts.Resume(checkpoint);
        console.Line($"Resuming at epoch {checkpoint.NextEpoch + 1}/{job.Run.Training.Epochs} from " +
            $"'{Path.Combine(job.SaveDir, RunFiles.CheckpointFile)}'.");
        return checkpoint.NextEpoch;
    }
}
