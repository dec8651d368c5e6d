using System.Diagnostics;
using System.Globalization;
using CapsNet.Data;
using CapsNet.Model;
using Spectre.Console;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CapsNet.Training;

/// <summary>The training loop of capsulenet.py: Adam, decaying lr, shifted batches, validation every epoch.</summary>
internal sealed class Trainer
{
    private readonly CapsuleNetwork _model;
    private readonly TrainingConfig _config;
    private readonly Device _device;
    private readonly IAnsiConsole _console;
    private readonly ProgressReporter _progress;
    private readonly FaultPoints _faults;

    public Trainer(CapsuleNetwork model, TrainingConfig config, Device device, IAnsiConsole console, FaultPoints? faults = null)
    {
        _model = model;
        _config = config;
        _device = device;
        _console = console;
        _progress = new ProgressReporter(console);
        _faults = faults ?? FaultPoints.None;
        // Built after the model moved to its device: .to() replaces the parameters.
        Optimizer = new LeanAdam(model.parameters(), config.Lr);
    }

    public Adam Optimizer { get; }

    /// <summary>Trains from <paramref name="firstEpoch"/> to the last epoch; returns false when cancelled.</summary>
    public bool Train(IBatchSource train, IBatchSource validation, int firstEpoch, TrainingArtifacts artifacts, CancellationToken cancel)
    {
        for (int epoch = firstEpoch; epoch < _config.Epochs; epoch++)
        {
            _faults.Stage = $"epoch {epoch + 1}";
            double lr = LearningRate.At(_config.Lr, _config.LrDecay, epoch);
            foreach (ParamGroup group in Optimizer.ParamGroups)
                group.LearningRate = lr;

            var clock = Stopwatch.StartNew();
            PassTotals? trained = TrainEpoch(train, epoch, cancel);
            if (trained is null)
                return false;
            PassTotals validated = Validate(validation);
            var metrics = new EpochMetrics(epoch, trained.Accuracy, trained.Margin, trained.Reconstruction, trained.Loss,
                validated.Accuracy, validated.Margin, validated.Reconstruction, validated.Loss, lr);
            _console.Line(
                $"Epoch {epoch + 1}/{_config.Epochs} - {clock.Elapsed.TotalSeconds:F0}s - loss: {metrics.Loss:F4} - " +
                $"capsnet_loss: {metrics.CapsnetLoss:F4} - decoder_loss: {metrics.DecoderLoss:F4} - capsnet_accuracy: " +
                    $"{metrics.CapsnetAccuracy:F4} - " +
                $"val_loss: {metrics.ValLoss:F4} - val_capsnet_accuracy: {metrics.ValCapsnetAccuracy:F4} - lr: " +
                    $"{lr.ToString("G4", CultureInfo.InvariantCulture)}");
            artifacts.EndEpoch(metrics, _model, Optimizer);
        }
        _faults.Stage = "end";
        return true;
    }

    private PassTotals? TrainEpoch(IBatchSource train, int epoch, CancellationToken cancel)
    {
        _model.train();
        var totals = new PassTotals();
        var random = new Random(unchecked(_config.Seed * 1_000_003 + epoch));  // per epoch, so a resumed run repeats it
        int batches = train.BatchCount(_config.BatchSize, dropLast: true);
        bool finished = true;
        _progress.Run($"Epoch {epoch + 1}/{_config.Epochs}", batches, report =>
        {
            int done = 0;
            foreach (Batch batch in train.Batches(_config.BatchSize, random, _config.ShiftFraction, dropLast: true, epoch))
            {
                using (batch)
                    Step(batch, totals, epoch, done + 1);
                report(++done, $"loss {totals.Loss:F4} acc {totals.Accuracy:F4}");
                _faults.Reach($"batch {done}");
                if (cancel.IsCancellationRequested)
                {
                    finished = false;
                    return;
                }
            }
        });
        return finished ? totals : null;
    }

    /// <summary>
    /// One optimisation step on <paramref name="batch"/>, its figures added to <paramref name="totals"/>;
    /// <paramref name="epoch"/> and <paramref name="batchNumber"/> only name the place if the loss is not finite.
    /// </summary>
    public void Step(Batch batch, PassTotals totals, int epoch, int batchNumber)
    {
        using var scope = NewDisposeScope();
        BatchLoss result = Evaluate(batch);
        double loss = result.Loss.item<float>();
        if (!double.IsFinite(loss))
            throw new TrainingDivergedException(epoch, batchNumber, loss);

        Optimizer.zero_grad();
        result.Loss.backward();
        Optimizer.step();
        result.AddTo(totals, batch.Size);
    }

    /// <summary>
    /// Forward pass with the true-label mask and the losses of section 5 (call inside a dispose scope); for images of
    /// several labels MultiMNIST's: every label's margin, each reconstruction against its own part of the image.
    /// </summary>
    private BatchLoss Evaluate(Batch batch)
    {
        Tensor x = batch.Images.to(_device), y = batch.Labels.to(_device);
        var (lengths, reconstruction) = _model.forward(x, y);
        if (batch.Targets is null)
        {
            Tensor margin = CapsuleLoss.Margin(lengths, y);
            Tensor mse = CapsuleLoss.Reconstruction(x, reconstruction);
            return new BatchLoss(CapsuleLoss.Correct(lengths, y), margin, mse, CapsuleLoss.Total(margin, mse, _config.LamRecon));
        }
        Tensor margins = MultiLabelLoss.Margin(lengths, y);
        Tensor errors = MultiLabelLoss.Reconstruction(batch.Targets.to(_device), reconstruction);
        return new BatchLoss(MultiLabelLoss.Correct(lengths, y), margins, errors, CapsuleLoss.Total(margins, errors, _config.LamRecon));
    }

    /// <summary>Validation as the reference does it: the decoder is masked with the true label.</summary>
    public PassTotals Validate(IBatchSource validation)
    {
        _model.eval();
        var totals = new PassTotals();
        using var noGrad = no_grad();
        foreach (Batch batch in validation.Batches(_config.BatchSize))
        {
            using var scope = NewDisposeScope();
            using (batch)
                Evaluate(batch).AddTo(totals, batch.Size);
        }
        return totals;
    }

    private sealed record BatchLoss(long Correct, Tensor Margin, Tensor Reconstruction, Tensor Loss)
    {
        public void AddTo(PassTotals totals, int samples) =>
            totals.Add(samples, Correct, Margin.item<float>(), Reconstruction.item<float>(), Loss.item<float>());
    }
}
