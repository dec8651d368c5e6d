using CapsNet.Model;
using CapsNet.Tests.Model;
using CapsNet.Training;

namespace CapsNet.Tests.Training;

/// <summary>checkpoint.json read back: what a resumed run trusts, and what it refuses.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string json)
    {
        File.WriteAllText(_dir.File(Checkpoint.FileName), json);
        return _dir.File(Checkpoint.FileName);
    }

    [Fact]
    public void AWholeCheckpointIsRead()
    {
        Write("""{"NextEpoch":0,"BestValAccuracy":0.5,"ModelFile":"checkpoint-00.pt","OptimizerFile":"checkpoint-00.optimizer","Epochs":3}""");

        Checkpoint checkpoint = Checkpoint.Read(_dir.Path)!;

        Assert.Equal((0, 0.5, "checkpoint-00.pt", "checkpoint-00.optimizer", 3), (checkpoint.NextEpoch, checkpoint.BestValAccuracy, checkpoint.ModelFile, checkpoint.OptimizerFile, checkpoint.Epochs));
        Assert.False(checkpoint.Finished);
        Assert.Equal(checkpoint.ModelFile, Checkpoint.ReadOrNull(_dir.Path)?.ModelFile);  // a new run reads it too
        Assert.Null(Checkpoint.Read(_dir.File("elsewhere")));
    }

    [Theory]
    [InlineData("""{"NextEpoch":-1,"BestValAccuracy":0.5,"ModelFile":"a.pt","OptimizerFile":"a.optimizer"}""")]
    [InlineData("""{"NextEpoch":1,"BestValAccuracy":0.5,"OptimizerFile":"a.optimizer"}""")]
    [InlineData("""{"NextEpoch":1,"BestValAccuracy":0.5,"ModelFile":"a.pt","OptimizerFile":""}""")]
    [InlineData("null")]
    public void ACheckpointWithoutItsFieldsIsRefusedAndANewRunMayReplaceIt(string json)
    {
        string path = Write(json);

        var e = Assert.Throws<UserInputException>(() => Checkpoint.Read(_dir.Path));
        Assert.Equal($"Cannot resume: '{path}' is not a checkpoint (fields missing).", e.Message);
        Assert.Null(Checkpoint.ReadOrNull(_dir.Path));
    }

    [Fact]
    public void TextThatIsNotJsonIsNamed()
    {
        string path = Write("{ not json");

        var e = Assert.Throws<UserInputException>(() => Checkpoint.Read(_dir.Path));
        Assert.StartsWith($"Cannot resume: '{path}' is not a readable checkpoint (", e.Message);
        Assert.Null(Checkpoint.ReadOrNull(_dir.Path));
    }

    private const string Unreadable = "(a file that answers a read with an I/O error)";

    [Theory]
    [InlineData(null, "not found.")]
    [InlineData("", "is damaged (")]
    [InlineData("not an optimizer state", "is damaged (")]
    [InlineData(Unreadable, "is damaged (Input/output error")]
    public void AMissingOrDamagedOptimizerStateIsNamed(string? content, string problem)
    {
        using CapsuleNetwork model = GrownNetwork.Build();
        using var optimizer = new LeanAdam(model.parameters(), 0.001);
        Checkpoint.Save(_dir.Path, 1, 0.5, new RunDefinition(3, new Dictionary<string, string>()), model, optimizer);
        Checkpoint checkpoint = Checkpoint.Read(_dir.Path)!;
        string state = _dir.File(checkpoint.OptimizerFile);
        File.Delete(state);
        if (content == Unreadable)
            _dir.UnreadableFile(checkpoint.OptimizerFile);
        else if (content is not null)
            File.WriteAllText(state, content);

        var e = Assert.Throws<UserInputException>(() => Checkpoint.Load(_dir.Path, checkpoint, model, optimizer));
        Assert.StartsWith($"Cannot resume: optimizer state '{state}' {problem}", e.Message);
    }
}
