using CapsNet.Model;
using Spectre.Console;
using TorchSharp.Modules;

namespace CapsNet.Training;

/// <summary>
/// Everything a training run leaves in save_dir, written after each epoch (in the order <see cref="RunFolder"/> gives) and at the end.
/// </summary>
internal sealed class TrainingArtifacts
{
    private readonly RunFolder _folder;
    private readonly bool _debug;
    private readonly RunConfig _run;
    private readonly TrainingLog _log;
    private readonly IAnsiConsole _console;
    private readonly FaultPoints _faults;

    public TrainingArtifacts(RunFolder folder, bool debug, RunConfig run, IAnsiConsole console, FaultPoints faults)
    {
        _folder = folder;
        _debug = debug;
        _run = run;
        _console = console;
        _faults = faults;
        _log = new TrainingLog(FileIn(RunFiles.Log), faults);
    }

    public double BestValAccuracy { get; private set; } = double.NegativeInfinity;

    /// <summary>The epochs whose checkpoint is saved: what a resumed run would not train again.</summary>
    public int EpochsKept { get; private set; }

    /// <summary>
    /// Picks up the log and best accuracy of a run resumed from <paramref name="checkpoint"/>, rewriting the log
    /// and its plot without the rows of epochs the checkpoint does not hold.
    /// </summary>
    public void Resume(Checkpoint checkpoint)
    {
        BestValAccuracy = checkpoint.BestValAccuracy;
        EpochsKept = checkpoint.NextEpoch;
        if (!_log.LoadEpochsBefore(checkpoint.NextEpoch))
            return;
        _log.Save();
        LossPlot.Save(_log.Rows, FileIn(RunFiles.Plot), _faults);
    }

    public void EndEpoch(EpochMetrics metrics, CapsuleNetwork model, Adam optimizer)
    {
        if (metrics.ValCapsnetAccuracy > BestValAccuracy)
        {
            string best = FileIn(RunFiles.BestWeights(metrics.Epoch + 1));
            _console.Line($"val_capsnet_accuracy improved from {Format(BestValAccuracy)} to {metrics.ValCapsnetAccuracy:F5}, saving " +
                $"model to '{best}'");
            BestValAccuracy = metrics.ValCapsnetAccuracy;
            WeightsFile.Save(model, best, _faults);
        }
        TensorBoardEpoch.Write(_folder.Folder, metrics, model, _debug, _faults);
        _log.Append(metrics);
        LossPlot.Save(_log.Rows, FileIn(RunFiles.Plot), _faults);
        Checkpoint checkpoint = Checkpoint.Save(_folder.Folder, metrics.Epoch + 1, BestValAccuracy, _run, model, optimizer, _faults);
        EpochsKept = checkpoint.NextEpoch;
        _folder.RemoveOtherCheckpointFiles(checkpoint);
    }

    public string SaveTrainedModel(CapsuleNetwork model)
    {
        string path = FileIn(RunFiles.TrainedModel);
        WeightsFile.Save(model, path, _faults);
        return path;
    }

    private string FileIn(string name) => Path.Combine(_folder.Folder, name);

    private static string Format(double accuracy) => double.IsNegativeInfinity(accuracy) ? "-inf" : accuracy.ToString("F5");
}
