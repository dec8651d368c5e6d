using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Tests.Model;
using CapsNet.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Tests.Training;

/// <summary>
/// What one training step and one validation pass compute, checked against the network's own pieces: the
/// losses of the true label, and the decoder masked with the true label's capsule, never the predicted one's.
/// </summary>
public sealed class TrainerTests : IDisposable
{
    private const int Samples = 6;
    private readonly CapsuleNetwork _model = GrownNetwork.Build();
    // Bytes, as data sets hold images, and their float values exactly as batches carry them.
    private readonly Tensor _pixels;
    private readonly Tensor _images;
    private readonly Tensor _predicted;
    private readonly Tensor _labels;

    public TrainerTests()
    {
        using (var generator = new Generator(21))
            _pixels = randint(256, [Samples, 1, 28, 28], ScalarType.Byte, generator: generator);
        _images = ImageSet.ToUnitFloats(_pixels);
        using var noGrad = no_grad();
        using Tensor lengths = Capsules.Length(_model.Encode(_images));
        _predicted = lengths.argmax(1);
        using Scalar three = 3.ToScalar(), classes = 10.ToScalar();
        _labels = _predicted.Plus(three) % classes;  // never the prediction, so the two masks give different reconstructions
    }

    public void Dispose()
    {
        _model.Dispose();
        _pixels.Dispose();
        _images.Dispose();
        _predicted.Dispose();
        _labels.Dispose();
    }

    private Trainer NewTrainer() => new(_model, new TrainingConfig { BatchSize = 3, LamRecon = 0.392 }, CPU,
        TestConsole.Create(TextWriter.Null));

    /// <summary>Margin loss and reconstruction error of the whole set with the decoder masked by <paramref name="mask"/>.</summary>
    private (double Margin, double Reconstruction) Losses(Tensor mask)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor capsules = _model.Encode(_images);
        Tensor reconstruction = _model.Decode(capsules, nn.functional.one_hot(mask, 10));
        return (CapsuleLoss.Margin(Capsules.Length(capsules), _labels).item<float>(),
                CapsuleLoss.Reconstruction(_images, reconstruction).item<float>());
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-5 * Math.Abs(expected), $"{what}: expected {expected:G7}, got {actual:G7}");

    [Fact]
    public void ValidationMasksTheDecoderWithTheTrueLabel()
    {
        var (margin, fromLabels) = Losses(_labels);
        var (_, fromPrediction) = Losses(_predicted);

        using var set = new ImageSet(_pixels.clone(), _labels.clone());
        PassTotals totals = NewTrainer().Validate(new BatchLoader(set));

        Assert.True(Math.Abs(fromLabels - fromPrediction) > 1e-3 * fromLabels, "the mask makes no difference to check");
        AssertClose(fromLabels, totals.Reconstruction, "reconstruction loss");
        AssertClose(margin, totals.Margin, "margin loss");
        AssertClose(margin + 0.392 * fromLabels, totals.Loss, "total loss");
        Assert.Equal(Samples, totals.Samples);
        Assert.Equal(0, totals.Correct);
    }

    [Fact]
    public void ATrainingStepMasksTheDecoderWithTheTrueLabelAndMovesTheWeights()
    {
        var (margin, fromLabels) = Losses(_labels);
        var (_, fromPrediction) = Losses(_predicted);
        using Tensor before = GrownNetwork.Parameter(_model, "decoder.0.weight").detach().clone();
        var totals = new PassTotals();

        using (var batch = new Batch(_images.clone(), _labels.clone()))
            NewTrainer().Step(batch, totals, epoch: 0, batchNumber: 1);

        Assert.True(Math.Abs(fromLabels - fromPrediction) > 1e-3 * fromLabels, "the mask makes no difference to check");
        AssertClose(fromLabels, totals.Reconstruction, "reconstruction loss");
        AssertClose(margin, totals.Margin, "margin loss");
        Assert.Equal(Samples, totals.Samples);
        Assert.False(before.equal(GrownNetwork.Parameter(_model, "decoder.0.weight")).all().item<bool>(),
            "the step left the decoder unchanged");
    }

    [Fact]
    public void AStepsGradientIsItsOwnBatchsAlone()
    {
        Trainer trainer = NewTrainer();
        using (var first = new Batch(_images[..3].clone(), _labels[..3].clone()))
            trainer.Step(first, new PassTotals(), epoch: 0, batchNumber: 1);

        // The second batch's gradient at the weights the first step left, computed apart on a copy of them.
        using var copy = GrownNetwork.Build();
        copy.load_state_dict(_model.state_dict());
        using Tensor x = _images[3..].clone(), y = _labels[3..].clone();
        var (lengths, reconstruction) = copy.forward(x, y);
        CapsuleLoss.Total(CapsuleLoss.Margin(lengths, y), CapsuleLoss.Reconstruction(x, reconstruction), 0.392).backward();

        using (var second = new Batch(x.clone(), y.clone()))
            trainer.Step(second, new PassTotals(), epoch: 0, batchNumber: 2);

        // What the optimiser stepped with stays on the parameters until the next step drops it.
        foreach (string name in new[] { "conv1.weight", "primary_caps.bias", "digit_caps.weight", "decoder.4.weight" })
        {
            Tensor own = GrownNetwork.Parameter(copy, name).grad!, used = GrownNetwork.Parameter(_model, name).grad!;
            Assert.True(used.allclose(own, rtol: 1e-4, atol: 1e-8), $"{name}: the step's gradient is not the second batch's alone");
        }
    }

    [Fact]
    public void ACancelledEpochStopsAfterTheBatchInHandAndEndsNoEpoch()
    {
        using var dir = new TempDirectory();
        var output = new StringWriter();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        bool finished = Train(dir.Path, new TrainingConfig { Epochs = 1, BatchSize = 3 }, output, cancelled.Token);

        Assert.False(finished);
        Assert.Contains("Epoch 1/1 1/2 loss ", output.ToString());
        Assert.DoesNotContain("Epoch 1/1 2/2", output.ToString());
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));  // no log, weights or checkpoint of an unfinished epoch
    }

    [Fact]
    public void ALossThatIsNoLongerFiniteStopsTrainingNamingWhere()
    {
        using var dir = new TempDirectory();
        // Adam's first step moves every weight by about lr: at 1e30 the second batch's activations overflow.
        var settings = new TrainingConfig { Epochs = 1, BatchSize = 3, Lr = 1e30 };

        var e = Assert.Throws<TrainingDivergedException>(() => Train(dir.Path, settings, TextWriter.Null, CancellationToken.None));

        Assert.Equal("Training diverged: the loss is NaN at epoch 1, batch 2. The files of the last finished epoch are kept.", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    // Trains on the six images, validating on them too, with the run's files going to saveDir.
    private bool Train(string saveDir, TrainingConfig settings, TextWriter output, CancellationToken cancel)
    {
        using var set = new ImageSet(_pixels.clone(), _labels.clone());
        IAnsiConsole console = TestConsole.Create(output);
        var trainer = new Trainer(_model, settings, CPU, console);
        var run = new RunConfig(_model.Config, settings, new DataConfig());
        var artifacts = new TrainingArtifacts(new RunFolder(saveDir, FaultPoints.None), debug: false, run, console, FaultPoints.None);
        return trainer.Train(new BatchLoader(set), new BatchLoader(set), firstEpoch: 0, artifacts, cancel);
    }
}
