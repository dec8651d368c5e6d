using System.Text.Json;
using System.Text.Json.Serialization;
using CapsNet.Model;
using TorchSharp;
using TorchSharp.Modules;

namespace CapsNet.Training;

/// <summary>
/// The resumable state after a finished epoch: weights, Adam state, where the schedule stands, and what the run is
/// (<see cref="Epochs"/>, <see cref="Settings"/>; absent from checkpoints of older versions). The two tensor files
/// carry the epoch in their names and <c>checkpoint.json</c>, written last, points at them: it is the run's one
/// source of truth, and what an interrupted save leaves beyond it is removed by <see cref="RunFolder.RollBack"/>.
/// </summary>
public sealed record Checkpoint(int NextEpoch, double BestValAccuracy, string ModelFile, string OptimizerFile)
{
    public const string FileName = "checkpoint.json";

    public int? Epochs { get; init; }

    public Dictionary<string, string>? Settings { get; init; }

    [JsonIgnore]
    public bool Finished => NextEpoch >= Epochs;

    public static string ModelFileOf(int nextEpoch) => $"checkpoint-{nextEpoch:D2}.pt";

    public static string OptimizerFileOf(int nextEpoch) => $"checkpoint-{nextEpoch:D2}.optimizer";

    /// <summary>
    /// Writes the tensor files, then <c>checkpoint.json</c> (the commit point), then removes the previous
    /// checkpoint's files: a crash at any moment leaves either the previous checkpoint or this one complete.
    /// </summary>
    public static void Save(string saveDir, int nextEpoch, double bestValAccuracy, RunDefinition run, CapsuleNetwork model, Adam optimizer)
    {
        var checkpoint = new Checkpoint(nextEpoch, bestValAccuracy, ModelFileOf(nextEpoch), OptimizerFileOf(nextEpoch))
        {
            Epochs = run.Epochs,
            Settings = new Dictionary<string, string>(run.Settings),
        };
        WeightsFile.Save(model, Path.Combine(saveDir, checkpoint.ModelFile));
        AtomicFile.Write(Path.Combine(saveDir, checkpoint.OptimizerFile), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            optimizer.save_state_dict(writer);
        });
        AtomicFile.WriteAllText(Path.Combine(saveDir, FileName), JsonSerializer.Serialize(checkpoint));
        RunFolder.RemoveOtherCheckpointFiles(saveDir, checkpoint);
    }

    /// <summary>Loads the weights and Adam state <paramref name="checkpoint"/> points at.</summary>
    public static void Load(string saveDir, Checkpoint checkpoint, CapsuleNetwork model, Adam optimizer)
    {
        WeightsFile.Load(model, Path.Combine(saveDir, checkpoint.ModelFile));
        string optimizerPath = Path.Combine(saveDir, checkpoint.OptimizerFile);
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
        string path = Path.Combine(saveDir, FileName);
        if (!File.Exists(path))
            return null;
        Checkpoint? checkpoint;
        try
        {
            checkpoint = JsonSerializer.Deserialize<Checkpoint>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Cannot resume: '{path}' is not a readable checkpoint ({e.Message}).", e);
        }
        if (checkpoint is null || checkpoint.NextEpoch < 0 || string.IsNullOrEmpty(checkpoint.ModelFile) || string.IsNullOrEmpty(checkpoint.OptimizerFile))
            throw new UserInputException($"Cannot resume: '{path}' is not a checkpoint (fields missing).");
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
}
