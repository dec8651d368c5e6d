using CapsNet.Imaging;
using CapsNet.Model;
using Spectre.Console;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CapsNet.Training;

/// <summary>Everything a training run leaves in save_dir, written after each epoch and at the end.</summary>
public sealed class TrainingArtifacts
{
    public const string TrainedModelFile = "trained_model.pt";

    private readonly string _saveDir;
    private readonly bool _debug;
    private readonly TrainingLog _log;
    private readonly SummaryWriter _tensorBoard;
    private readonly IAnsiConsole _console;

    public TrainingArtifacts(string saveDir, bool debug, IAnsiConsole console)
    {
        _console = console;
        _saveDir = saveDir;
        _debug = debug;
        _log = new TrainingLog(Path.Combine(saveDir, "log.csv"));
        _tensorBoard = utils.tensorboard.SummaryWriter(Path.Combine(saveDir, "tensorboard-logs"), createRunName: false);
    }

    public double BestValAccuracy { get; private set; } = double.NegativeInfinity;

    /// <summary>Picks up the log and best accuracy of a run being resumed at <paramref name="nextEpoch"/>.</summary>
    public void Resume(int nextEpoch, double bestValAccuracy)
    {
        _log.LoadEpochsBefore(nextEpoch);
        BestValAccuracy = bestValAccuracy;
    }

    public void EndEpoch(EpochMetrics metrics, CapsuleNetwork model, Adam optimizer)
    {
        _log.Append(metrics);
        WriteTensorBoard(metrics, model);

        if (metrics.ValCapsnetAccuracy > BestValAccuracy)
        {
            string best = Path.Combine(_saveDir, $"weights-{metrics.Epoch + 1:D2}.pt");
            _console.Line($"val_capsnet_accuracy improved from {Format(BestValAccuracy)} to {metrics.ValCapsnetAccuracy:F5}, saving model to '{best}'");
            BestValAccuracy = metrics.ValCapsnetAccuracy;
            WeightsFile.Save(model, best);
        }

        Checkpoint.Save(_saveDir, metrics.Epoch + 1, BestValAccuracy, model, optimizer);
        LossPlot.Save(_log.Rows, Path.Combine(_saveDir, "log.png"));
    }

    public string SaveTrainedModel(CapsuleNetwork model)
    {
        string path = Path.Combine(_saveDir, TrainedModelFile);
        WeightsFile.Save(model, path);
        return path;
    }

    private void WriteTensorBoard(EpochMetrics m, CapsuleNetwork model)
    {
        int step = m.Epoch;
        _tensorBoard.add_scalar("loss/train", (float)m.Loss, step);
        _tensorBoard.add_scalar("loss/val", (float)m.ValLoss, step);
        _tensorBoard.add_scalar("capsnet_loss/train", (float)m.CapsnetLoss, step);
        _tensorBoard.add_scalar("capsnet_loss/val", (float)m.ValCapsnetLoss, step);
        _tensorBoard.add_scalar("decoder_loss/train", (float)m.DecoderLoss, step);
        _tensorBoard.add_scalar("decoder_loss/val", (float)m.ValDecoderLoss, step);
        _tensorBoard.add_scalar("capsnet_accuracy/train", (float)m.CapsnetAccuracy, step);
        _tensorBoard.add_scalar("capsnet_accuracy/val", (float)m.ValCapsnetAccuracy, step);
        _tensorBoard.add_scalar("lr", (float)m.Lr, step);
        if (!_debug)
            return;
        using var scope = NewDisposeScope();
        foreach (var (name, parameter) in model.named_parameters())
            _tensorBoard.add_histogram(name, parameter.detach().cpu(), step);
    }

    private static string Format(double accuracy) => double.IsNegativeInfinity(accuracy) ? "-inf" : accuracy.ToString("F5");
}
