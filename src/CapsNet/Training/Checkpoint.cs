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
        Checkpoint? previous = TryRead(saveDir);
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
        Checkpoint checkpoint = TryRead(saveDir)
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

    private static Checkpoint? TryRead(string saveDir)
    {
        string path = Path.Combine(saveDir, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize<Checkpoint>(File.ReadAllText(path))
                ?? throw new UserInputException($"Cannot resume: '{path}' is empty.");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"Cannot resume: '{path}' is not a checkpoint ({e.Message}).", e);
        }
    }
}
