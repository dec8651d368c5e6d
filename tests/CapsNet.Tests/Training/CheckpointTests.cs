using System.Text.Json.Nodes;
using CapsNet.Data;
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
        File.WriteAllText(_dir.File(RunFiles.CheckpointFile), json);
        return _dir.File(RunFiles.CheckpointFile);
    }

    [Fact]
    public void WhatIsSavedIsReadBackWithTheRunItStoresAsTypedValues()
    {
        using CapsuleNetwork model = GrownNetwork.Build();
        using var optimizer = new LeanAdam(model.parameters(), 0.001);
        var run = new RunConfig(model.Config, new TrainingConfig { Epochs = 4, Lr = 0.01, Precision = PrecisionChoice.Bf16 },
            new DataConfig { Dataset = "fashion-mnist", TrainSamples = 40 });

        Checkpoint.Save(_dir.Path, 2, 0.75, run, model, optimizer, FaultPoints.None);
        Checkpoint read = Checkpoint.Read(_dir.Path)!;

        Assert.Equal((2, 0.75, "checkpoint-02.pt", "checkpoint-02.optimizer", 4), (read.NextEpoch, read.BestValAccuracy, read.ModelFile,
            read.OptimizerFile, read.Epochs));
        Assert.Equal(run.Training, read.Run!.Training);
        Assert.Equal(run.Data, read.Run.Data);
        Assert.Equal(ConfigFile.ToJson(run.Model).ToJsonString(), ConfigFile.ToJson(read.Run.Model).ToJsonString());
        Assert.Null(read.Legacy);
        string json = File.ReadAllText(_dir.File(RunFiles.CheckpointFile));
        Assert.Contains("\"format\": \"capsnet.net checkpoint v2\"", json);
        Assert.Contains("\"precision\": \"bf16\"", json);  // the run's settings as typed values, not flag strings
        Assert.DoesNotContain("--", json);
        Assert.EndsWith("}\n", json);  // a whole last line, as `cat` and diff want it
    }

    [Fact]
    public void AnUnknownFormatAndASettingOutOfBoundsAreNamed()
    {
        string path = Write("""{"format": "capsnet.net checkpoint v9", "next_epoch": 1}""");
        Assert.Equal($"Cannot resume: '{path}' has format \"capsnet.net checkpoint v9\", which this version does not read (it reads " +
            "'capsnet.net checkpoint v2').",
            Assert.Throws<UserInputException>(() => Checkpoint.Read(_dir.Path)).Message);

        using CapsuleNetwork model = GrownNetwork.Build();
        using var optimizer = new LeanAdam(model.parameters(), 0.001);
        Checkpoint.Save(_dir.Path, 1, 0.5, new RunConfig(model.Config, new TrainingConfig(), new DataConfig()), model, optimizer,
            FaultPoints.None);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"lr\": 0.001", "\"lr\": -1"));

        Assert.Equal($"Cannot resume: '{path}' stores a setting out of bounds: lr must be a number greater than 0, got -1.",
            Assert.Throws<UserInputException>(() => Checkpoint.Read(_dir.Path)).Message);
    }

    [Fact]
    public void AWholeCheckpointOfAnEarlierVersionIsRead()
    {
        Write("""
            {"NextEpoch":0,"BestValAccuracy":0.5,"ModelFile":"checkpoint-00.pt","OptimizerFile":"checkpoint-00.optimizer","Epochs":3}
            """);

        Checkpoint checkpoint = Checkpoint.Read(_dir.Path)!;

        Assert.Equal((0, 0.5, "checkpoint-00.pt", "checkpoint-00.optimizer", 3), (checkpoint.NextEpoch, checkpoint.BestValAccuracy,
            checkpoint.ModelFile, checkpoint.OptimizerFile, checkpoint.Epochs));
        Assert.False(checkpoint.Finished);
        Assert.Equal(checkpoint.ModelFile, Checkpoint.ReadOrNull(_dir.Path)?.ModelFile);  // a new run reads it too
        Assert.Null(Checkpoint.Read(_dir.File("elsewhere")));
    }

    // One fact over every case rather than a theory: Stryker records what a theory covers from its first case only.
    [Fact]
    public void ACheckpointWithoutItsFieldsIsRefusedAndANewRunMayReplaceIt()
    {
        Func<string>[] writes =
        [
            () => Write("""{"NextEpoch":-1,"BestValAccuracy":0.5,"ModelFile":"a.pt","OptimizerFile":"a.optimizer"}"""),
            () => Write("""{"NextEpoch":1,"BestValAccuracy":0.5,"OptimizerFile":"a.optimizer"}"""),
            () => Write("""{"NextEpoch":1,"BestValAccuracy":0.5,"ModelFile":"a.pt"}"""),
            () => Write("""{"NextEpoch":1,"BestValAccuracy":0.5,"ModelFile":"a.pt","OptimizerFile":""}"""),
            () => Write("null"),
            () => SavedWith("\"model_file\":", "\"renamed\":"),
            () => SavedWith("\"optimizer_file\":", "\"renamed\":"),
        ];
        foreach (Func<string> write in writes)
        {
            string path = write();

            var e = Assert.Throws<UserInputException>(() => Checkpoint.Read(_dir.Path));
            Assert.Equal($"Cannot resume: '{path}' is not a checkpoint (fields missing).", e.Message);
            Assert.Null(Checkpoint.ReadOrNull(_dir.Path));
        }
    }

    [Fact]
    public void AnEarlierVersionsSettingsAreReadAsStoredAndOneStoredAsNullAsEmpty()
    {
        Write("""
            {"NextEpoch":1,"ModelFile":"a.pt","OptimizerFile":"a.optimizer","Settings":{"--routings":"2","--lam_recon":null}}
            """);

        Checkpoint checkpoint = Checkpoint.Read(_dir.Path)!;

        Assert.Equal(("2", "", null), (checkpoint.Legacy!.ValueOf("--routings"), checkpoint.Legacy.ValueOf("--lam_recon"),
            checkpoint.Legacy.ValueOf("--seed")));
        Assert.Equal((double.NegativeInfinity, null), (checkpoint.BestValAccuracy, checkpoint.Epochs));  // neither was stored
    }

    [Fact]
    public void ProgressCountsTheRunsEpochsWhereTheCheckpointKnowsThem()
    {
        var unknown = new Checkpoint(3, 0.5, "a.pt", "a.optimizer");  // the first versions did not store the epochs
        var ofFifty = unknown with { Legacy = new LegacyRun(50, null) };
        var ofThree = unknown with { Legacy = new LegacyRun(3, null) };

        Assert.Equal(("3 epochs trained", false), (unknown.Progress, unknown.Finished));
        Assert.Equal(("3 of 50 epochs trained", false), (ofFifty.Progress, ofFifty.Finished));
        Assert.Equal(("3 of 3 epochs trained", true), (ofThree.Progress, ofThree.Finished));
    }

    // A checkpoint of this version, as saved; returns its path.
    private string Saved()
    {
        using CapsuleNetwork model = GrownNetwork.Build();
        using var optimizer = new LeanAdam(model.parameters(), 0.001);
        Checkpoint.Save(_dir.Path, 1, 0.5, new RunConfig(model.Config, new TrainingConfig(), new DataConfig()), model, optimizer,
            FaultPoints.None);
        return _dir.File(RunFiles.CheckpointFile);
    }

    // A checkpoint of this version, its text changed from <paramref name="text"/> to <paramref name="replacement"/>.
    private string SavedWith(string text, string replacement)
    {
        string path = Saved();
        string json = File.ReadAllText(path);
        Assert.Contains(text, json);
        File.WriteAllText(path, json.Replace(text, replacement));
        return path;
    }

    [Fact]
    public void AFieldOfTheWrongKindIsNamed()
    {
        string path = SavedWith("\"next_epoch\": 1,", "\"next_epoch\": \"one\",");

        var e = Assert.Throws<UserInputException>(() => Checkpoint.Read(_dir.Path));
        Assert.StartsWith($"Cannot resume: '{path}' is not a readable checkpoint (", e.Message);
        Assert.Null(Checkpoint.ReadOrNull(_dir.Path));
    }

    [Fact]
    public void ASettingOfTheWrongKindIsNamed()
    {
        string path = SavedWith("\"lr\": 0.001", "\"lr\": \"fast\"");

        var e = Assert.Throws<UserInputException>(() => Checkpoint.Read(_dir.Path));
        Assert.StartsWith($"Cannot resume: '{path}' cannot be read (The JSON value could not be converted to System.Double. Path: $.lr",
            e.Message);
    }

    // A checkpoint of this version whose run's JSON <paramref name="change"/> edits.
    private string SavedWithRun(Action<JsonNode> change)
    {
        string path = Saved();
        JsonNode json = JsonNode.Parse(File.ReadAllText(path))!;
        change(json["run"]!);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    [Fact]
    public void ARunWithoutItsTrainingOrDataSettingsOrWithoutADataSetIsNamed()
    {
        foreach (var (part, problem) in new[] { ("training", "no training settings"), ("data", "no data settings") })
        {
            string path = SavedWithRun(run => run[part] = null);

            var e = Assert.Throws<UserInputException>(() => Checkpoint.Read(_dir.Path));
            Assert.Equal($"Cannot resume: '{path}' cannot be read ({problem}).", e.Message);
        }
        string withoutDataSet = SavedWithRun(run => run["data"]!["dataset"] = null);

        var nullDataSet = Assert.Throws<UserInputException>(() => Checkpoint.Read(_dir.Path));
        Assert.StartsWith($"Cannot resume: '{withoutDataSet}' cannot be read (The property or field 'dataset' on type " +
            "'CapsNet.Data.DataConfig' doesn't allow setting null values.", nullDataSet.Message);
    }

    [Fact]
    public void ACheckpointWithoutItsRunIsRefused()
    {
        string path = SavedWith("\"run\": {", "\"walk\": {");

        var e = Assert.Throws<UserInputException>(() => Checkpoint.Read(_dir.Path));
        Assert.Equal($"Cannot resume: '{path}' is not a checkpoint (fields missing).", e.Message);
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
        Checkpoint.Save(_dir.Path, 1, 0.5, new RunConfig(model.Config, new TrainingConfig(), new DataConfig()), model, optimizer,
            FaultPoints.None);
        Checkpoint checkpoint = Checkpoint.Read(_dir.Path)!;
        string state = _dir.File(checkpoint.OptimizerFile);
        File.Delete(state);
        if (content == Unreadable)
            _dir.UnreadableFile(checkpoint.OptimizerFile);
        else if (content is not null)
            File.WriteAllText(state, content);

        var e = Assert.Throws<UserInputException>(() => checkpoint.Load(_dir.Path, model, optimizer));
        Assert.StartsWith($"Cannot resume: optimizer state '{state}' {problem}", e.Message);
    }
}
