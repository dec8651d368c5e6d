using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Tests.Model;
using CapsNet.Training;

namespace CapsNet.Tests.Training;

/// <summary>What the end of an epoch writes, given figures chosen by hand.</summary>
public sealed class TrainingArtifactsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CapsuleNetwork _model = GrownNetwork.Build();

    public void Dispose()
    {
        _model.Dispose();
        _dir.Dispose();
    }

    private RunConfig Run => new(_model.Config, new TrainingConfig { Epochs = 3 }, new DataConfig());

    private TrainingArtifacts Artifacts(TextWriter output) =>
        new(new RunFolder(_dir.Path, FaultPoints.None), debug: false, Run, TestConsole.Create(output), FaultPoints.None);

    private static EpochMetrics Metrics(int epoch, double valAccuracy) =>
        new(epoch, 0.5, 0.25, 0.125, 0.3, valAccuracy, 0.2, 0.1, 0.24, 0.001);

    [Fact]
    public void BestWeightsAreSavedWhenValidationAccuracyStrictlyImprovesNamingThePreviousBest()
    {
        var output = new StringWriter();
        var artifacts = Artifacts(output);
        using var optimizer = new LeanAdam(_model.parameters(), 0.001);

        foreach (var (epoch, valAccuracy) in new[] { (0, 0.5), (1, 0.75), (2, 0.75) })
            artifacts.EndEpoch(Metrics(epoch, valAccuracy), _model, optimizer);

        Assert.Equal(
            $"val_capsnet_accuracy improved from -inf to 0.50000, saving model to '{_dir.File("weights-01.pt")}'\n" +
            $"val_capsnet_accuracy improved from 0.50000 to 0.75000, saving model to '{_dir.File("weights-02.pt")}'\n",
            output.ToString());
        Assert.Equal((true, true, false), (File.Exists(_dir.File("weights-01.pt")), File.Exists(_dir.File("weights-02.pt")),
            File.Exists(_dir.File("weights-03.pt"))));
        Assert.Equal(0.75, artifacts.BestValAccuracy);
    }

    [Fact]
    public void ATensorBoardFileThatCannotBePutInPlaceIsNamedAndLeavesNoStagingFolder()
    {
        string target = _dir.File($"{RunFiles.TensorBoard}/{RunFiles.TensorBoardEvents(1)}");
        Directory.CreateDirectory(target);  // a folder where the epoch's file belongs

        var e = Assert.Throws<UserInputException>(() => TensorBoardEpoch.Write(_dir.Path, Metrics(0, 0.5), _model, debug: false,
            FaultPoints.None));

        Assert.StartsWith($"Could not write '{target}': ", e.Message);
        Assert.Equal([_dir.File(RunFiles.TensorBoard)], Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void ResumingDropsTheLogRowsOfEpochsTheCheckpointDoesNotHoldAndRedrawsThePlot()
    {
        string log = _dir.File(RunFiles.Log);
        File.WriteAllLines(log, [EpochMetrics.CsvHeader, Metrics(0, 0.5).ToCsv(), Metrics(1, 0.75).ToCsv(), Metrics(2, 0.8).ToCsv()]);
        var artifacts = Artifacts(TextWriter.Null);

        artifacts.Resume(new Checkpoint(2, 0.75, "checkpoint-02.pt", "checkpoint-02.optimizer"));

        Assert.Equal([EpochMetrics.CsvHeader, Metrics(0, 0.5).ToCsv(), Metrics(1, 0.75).ToCsv()], File.ReadAllLines(log));
        Assert.True(File.Exists(_dir.File(RunFiles.Plot)));
        Assert.Equal(0.75, artifacts.BestValAccuracy);
    }

    [Fact]
    public void ResumingFromALogOfExactlyTheCheckpointsEpochsRewritesNeitherTheLogNorThePlot()
    {
        string log = _dir.File(RunFiles.Log), plot = _dir.File(RunFiles.Plot);
        File.WriteAllLines(log, [EpochMetrics.CsvHeader, Metrics(0, 0.5).ToCsv(), Metrics(1, 0.75).ToCsv()]);
        File.WriteAllText(plot, "the plot of epochs 1 and 2");
        var written = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(log, written);
        File.SetLastWriteTimeUtc(plot, written);
        var artifacts = Artifacts(TextWriter.Null);

        artifacts.Resume(new Checkpoint(2, 0.75, "checkpoint-02.pt", "checkpoint-02.optimizer"));

        Assert.Equal((written, written), (File.GetLastWriteTimeUtc(log), File.GetLastWriteTimeUtc(plot)));
        Assert.Equal("the plot of epochs 1 and 2", File.ReadAllText(plot));
        Assert.Equal((0.75, 2), (artifacts.BestValAccuracy, artifacts.EpochsKept));
    }

    [Fact]
    public void WithDebugTheEpochsFileHoldsAHistogramOfEveryWeight()
    {
        TensorBoardEpoch.Write(_dir.Path, Metrics(4, 0.5), _model, debug: true, FaultPoints.None);

        var values = TensorBoardFile.Values(_dir.File($"{RunFiles.TensorBoard}/{RunFiles.TensorBoardEvents(5)}"));
        Assert.Equal(
            _model.named_parameters().Select(p => (p.name, 4L, (float?)null)),
            values.Where(value => value.Scalar is null));
        Assert.Equal(9, values.Count(value => value.Scalar is not null));
    }
}
