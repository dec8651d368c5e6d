using CapsNet.Model;
using Spectre.Console;
using TorchSharp.Modules;

namespace CapsNet.Training;

/// <summary>Everything a training run leaves in save_dir, written after each epoch (in the order <see cref="RunFolder"/> gives) and at the end.</summary>
public sealed class TrainingArtifacts
{
    public const string TrainedModelFile = "trained_model.pt";

    private readonly string _saveDir;
    private readonly bool _debug;
    private readonly RunDefinition _run;
    private readonly TrainingLog _log;
    private readonly IAnsiConsole _console;

    public TrainingArtifacts(string saveDir, bool debug, RunDefinition run, IAnsiConsole console)
    {
        _console = console;
        _saveDir = saveDir;
        _debug = debug;
        _run = run;
        _log = new TrainingLog(Path.Combine(saveDir, RunFolder.LogFile));
    }

    public double BestValAccuracy { get; private set; } = double.NegativeInfinity;

    /// <summary>
    /// Picks up the log and best accuracy of a run resumed from <paramref name="checkpoint"/>, rewriting the log
    /// and its plot without the rows of epochs the checkpoint does not hold.
    /// </summary>
    public void Resume(Checkpoint checkpoint)
    {
        BestValAccuracy = checkpoint.BestValAccuracy;
        if (!_log.LoadEpochsBefore(checkpoint.NextEpoch))
            return;
        _log.Save();
        LossPlot.Save(_log.Rows, Path.Combine(_saveDir, RunFolder.PlotFile));
    }

    public void EndEpoch(EpochMetrics metrics, CapsuleNetwork model, Adam optimizer)
    {
        if (metrics.ValCapsnetAccuracy > BestValAccuracy)
        {
            string best = Path.Combine(_saveDir, RunFolder.BestWeightsFileOf(metrics.Epoch + 1));
            _console.Line($"val_capsnet_accuracy improved from {Format(BestValAccuracy)} to {metrics.ValCapsnetAccuracy:F5}, saving model to '{best}'");
            BestValAccuracy = metrics.ValCapsnetAccuracy;
            WeightsFile.Save(model, best);
        }
        TensorBoardEpoch.Write(_saveDir, metrics, model, _debug);
        _log.Append(metrics);
        LossPlot.Save(_log.Rows, Path.Combine(_saveDir, RunFolder.PlotFile));
        Checkpoint.Save(_saveDir, metrics.Epoch + 1, BestValAccuracy, _run, model, optimizer);
    }

    public string SaveTrainedModel(CapsuleNetwork model)
    {
        string path = Path.Combine(_saveDir, TrainedModelFile);
        WeightsFile.Save(model, path);
        return path;
    }

    private static string Format(double accuracy) => double.IsNegativeInfinity(accuracy) ? "-inf" : accuracy.ToString("F5");
}
