using System.Text.Json;
using CapsNet.Model;
using TorchSharp;
using TorchSharp.Modules;

namespace CapsNet.Training;

/// <summary>
/// The resumable state after a finished epoch: weights, Adam state and where the schedule stands. The two
/// tensor files carry the epoch in their names and <c>checkpoint.json</c>, written last, points at them, so an
/// interrupted save leaves the previous checkpoint usable.
/// </summary>
public sealed record Checkpoint(int NextEpoch, double BestValAccuracy, string ModelFile, string OptimizerFile)
{
    public const string FileName = "checkpoint.json";

    public static void Save(string saveDir, int nextEpoch, double bestValAccuracy, CapsuleNetwork model, Adam optimizer)
    {
        Checkpoint? previous = ReadOrNull(saveDir);
        var checkpoint = new Checkpoint(nextEpoch, bestValAccuracy, $"checkpoint-{nextEpoch:D2}.pt", $"checkpoint-{nextEpoch:D2}.optimizer");
        WeightsFile.Save(model, Path.Combine(saveDir, checkpoint.ModelFile));
        AtomicFile.Write(Path.Combine(saveDir, checkpoint.OptimizerFile), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            optimizer.save_state_dict(writer);
        });
        AtomicFile.WriteAllText(Path.Combine(saveDir, FileName), JsonSerializer.Serialize(checkpoint));
        if (previous is not null && previous.ModelFile != checkpoint.ModelFile)
        {
            File.Delete(Path.Combine(saveDir, previous.ModelFile));
            File.Delete(Path.Combine(saveDir, previous.OptimizerFile));
        }
    }

    public static Checkpoint Load(string saveDir, CapsuleNetwork model, Adam optimizer)
    {
        Checkpoint checkpoint = Read(saveDir)
            ?? throw new UserInputException($"Cannot resume: no {FileName} in '{saveDir}'. Train without --resume first.");
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
        return checkpoint;
    }

    /// <summary>The checkpoint in <paramref name="saveDir"/>, or null when there is none; fails when it is unusable.</summary>
    private static Checkpoint? Read(string saveDir)
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

    /// <summary>The previous checkpoint, when it can be read, so that a fresh run can replace a broken one.</summary>
    private static Checkpoint? ReadOrNull(string saveDir)
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
