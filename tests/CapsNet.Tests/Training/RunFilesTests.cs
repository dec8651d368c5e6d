using CapsNet.Training;

namespace CapsNet.Tests.Training;

/// <summary>The names of a run's files, and which names a run owns: what rollback and replacement remove.</summary>
public sealed class RunFilesTests
{
    [Fact]
    public void NumberedFilesCarryTheirNumberWithAtLeastTheirDigits()
    {
        Assert.Equal(["weights-03.pt", "weights-123.pt", "checkpoint-12.pt", "checkpoint-01.optimizer", "events.out.tfevents.epoch-0007"],
            [RunFiles.BestWeights(3), RunFiles.BestWeights(123), RunFiles.CheckpointWeights(12), RunFiles.CheckpointOptimizer(1),
                RunFiles.TensorBoardEvents(7)]);
    }

    [Fact]
    public void TheEpochOfANameIsReadOnlyFromAPrefixDigitsAndAKnownSuffix()
    {
        string[] names = ["weights-03.pt", "weights-03.json", "weights-123.pt", "events.out.tfevents.epoch-0007", "weights-.pt",
            "weights-03.bak", "weights-03.pt.tmp", "weights-+3.pt", "my-weights-03.pt", "checkpoint-02.pt", "log.csv"];

        Assert.Equal([3, 3, 123, 7, 0, 0, 0, 0, 0, 0, 0], names.Select(RunFiles.EpochOf));
    }

    [Fact]
    public void ATrainingRunsFilesAreItsLogPlotModelsAndNumberedFilesNotTheTestModesPictures()
    {
        string[] owned = ["log.csv", "log.png", "trained_model.pt", "trained_model.json", "weights-01.pt", "weights-02.json",
            "checkpoint-01.pt", "checkpoint-01.json", "checkpoint-02.optimizer"];
        // checkpoint.json is not among them: rollback and replacement handle it apart, first or last.
        string[] notOwned = ["real_and_recon.png", "predictions.csv", "recon.png", "manipulate-3.png", "checkpoint.json",
            "weights-02.bak", "checkpoint-01.bak", "checkpoint-.pt", "notes.txt"];

        Assert.All(owned, name => Assert.True(RunFiles.IsTrainingFile(name), name));
        Assert.All(notOwned, name => Assert.False(RunFiles.IsTrainingFile(name), name));
        Assert.Equal([false, false, false, false, true, true, true], new[] { "log.csv", "weights-01.pt", "checkpoint.json",
            "checkpoint-01.bak", "checkpoint-01.pt", "checkpoint-01.json", "checkpoint-02.optimizer" }.Select(RunFiles.IsCheckpointFile));
    }
}
