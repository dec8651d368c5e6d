using System.Text.Json;
using System.Text.Json.Nodes;
using CapsNet.Model;
using TorchSharp.Modules;

namespace CapsNet.Training;

/// <summary>
/// The resumable state after a finished epoch: weights, Adam state, where the schedule stands, and what the run is
/// (<see cref="Run"/>). The two tensor files carry the epoch in their names and <c>checkpoint.json</c>, written last,
/// points at them: it is the run's one source of truth, and what an interrupted save leaves beyond it is removed by
/// <see cref="RunFolder.RollBack"/>. Checkpoints of earlier versions stored the run as flag strings
/// (<see cref="Legacy"/>), or not at all; they resume too.
/// </summary>
internal sealed record Checkpoint(int NextEpoch, double BestValAccuracy, string ModelFile, string OptimizerFile)
{
    public const string Format = "capsnet.net checkpoint v2";

    /// <summary>What the run is; null in a checkpoint of an earlier version.</summary>
    public RunConfig? Run { get; init; }

    /// <summary>An earlier version's record of the run: its epochs and its settings by flag name, when it had them.</summary>
    public LegacyRun? Legacy { get; init; }

    public int? Epochs => Run?.Training.Epochs ?? Legacy?.Epochs;

    public bool Finished => NextEpoch >= Epochs;

    /// <summary>"3 of 50 epochs trained".</summary>
    public string Progress => Epochs is int epochs ? $"{NextEpoch} of {epochs} epochs trained" : $"{NextEpoch} epochs trained";

    /// <summary>
    /// Writes the tensor files, then <c>checkpoint.json</c> (the commit point): a crash at any moment leaves the
    /// previous checkpoint or this one complete. The previous one's files are the caller's to remove.
    /// </summary>
    public static Checkpoint Save(string saveDir, int nextEpoch, double bestValAccuracy, RunConfig run, CapsuleNetwork model,
        Adam optimizer, FaultPoints faults)
    {
        var checkpoint = new Checkpoint(nextEpoch, bestValAccuracy, RunFiles.CheckpointWeights(nextEpoch),
            RunFiles.CheckpointOptimizer(nextEpoch))
        {
            Run = run,
        };
        WeightsFile.Save(model, Path.Combine(saveDir, checkpoint.ModelFile), faults);
        AtomicFile.Write(Path.Combine(saveDir, checkpoint.OptimizerFile), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            optimizer.save_state_dict(writer);
        }, faults);
        AtomicFile.WriteAllText(Path.Combine(saveDir, RunFiles.CheckpointFile), checkpoint.ToJson().ToJsonString(Indented) + "\n", faults);
        return checkpoint;
    }

    /// <summary>Loads the weights and Adam state the checkpoint points at.</summary>
    public void Load(string saveDir, CapsuleNetwork model, Adam optimizer)
    {
        WeightsFile.Load(model, Path.Combine(saveDir, ModelFile));
        string optimizerPath = Path.Combine(saveDir, OptimizerFile);
        if (!File.Exists(optimizerPath))
            throw new UserInputException($"Cannot resume: optimizer state '{optimizerPath}' not found.");
        try
        {
            optimizer.load_state_dict(optimizerPath);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or EndOfStreamException)
        {
            throw new UserInputException($"Cannot resume: optimizer state '{optimizerPath}' is damaged ({e.Message}).", e);
        }
    }

    /// <summary>The checkpoint in <paramref name="saveDir"/>, or null when there is none; fails when it is unusable.</summary>
    public static Checkpoint? Read(string saveDir)
    {
        string path = Path.Combine(saveDir, RunFiles.CheckpointFile);
        if (!File.Exists(path))
            return null;
        string where = $"Cannot resume: '{path}'";
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{where} is not a readable checkpoint ({e.Message}).", e);
        }
        Checkpoint? checkpoint;
        try
        {
            checkpoint = json?["format"] is null ? FromLegacyJson(json) : FromJson(json, where);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new UserInputException($"{where} is not a readable checkpoint ({e.Message}).", e);
        }
        if (checkpoint is null || checkpoint.NextEpoch < 0 || string.IsNullOrEmpty(checkpoint.ModelFile)
            || string.IsNullOrEmpty(checkpoint.OptimizerFile))
            throw new UserInputException($"{where} is not a checkpoint (fields missing).");
        return checkpoint;
    }

    /// <summary>The checkpoint, when there is one that can be read: a run that is not resuming may replace a broken one.</summary>
    public static Checkpoint? ReadOrNull(string saveDir)
    {
        try
        {
            return Read(saveDir);
        }
        catch (UserInputException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private JsonObject ToJson() => new()
    {
        ["format"] = Format,
        ["next_epoch"] = NextEpoch,
        ["best_val_accuracy"] = BestValAccuracy,
        ["model_file"] = ModelFile,
        ["optimizer_file"] = OptimizerFile,
        ["run"] = Run?.ToJson(),
    };

    private static Checkpoint? FromJson(JsonObject json, string where)
    {
        if (json["format"]?.GetValueKind() != JsonValueKind.String || (string?)json["format"] != Format)
            throw new UserInputException($"{where} has format {json["format"]!.ToJsonString()}, which this version does not read (it " +
                $"reads '{Format}').");
        if (json["run"] is not JsonObject run || json["next_epoch"] is null || json["best_val_accuracy"] is null)
            return null;
        return new Checkpoint((int)json["next_epoch"]!, (double)json["best_val_accuracy"]!, (string?)json["model_file"] ?? "",
            (string?)json["optimizer_file"] ?? "")
        {
            Run = RunConfig.FromJson(run, where),
        };
    }

    /// <summary>A checkpoint of an earlier version: <c>{"NextEpoch":..,"Epochs":..,"Settings":{..}}</c>.</summary>
    private static Checkpoint? FromLegacyJson(JsonObject? json)
    {
        if (json?["NextEpoch"] is null)
            return null;
        var settings = json["Settings"] is JsonObject stored
            ? stored.ToDictionary(entry => entry.Key, entry => (string?)entry.Value ?? "")
            : null;
        return new Checkpoint((int)json["NextEpoch"]!, (double?)json["BestValAccuracy"] ?? double.NegativeInfinity,
            (string?)json["ModelFile"] ?? "", (string?)json["OptimizerFile"] ?? "")
        {
            Legacy = new LegacyRun(json["Epochs"] is JsonNode epochs ? (int)epochs : null, settings),
        };
    }
}
