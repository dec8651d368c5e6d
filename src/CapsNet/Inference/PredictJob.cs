using CapsNet.Imaging;
using CapsNet.Model;
using CapsNet.Native;

namespace CapsNet.Inference;

/// <summary>What the predict command is told: the pictures, the model, and where the predictions go.</summary>
internal sealed record PredictJob(IReadOnlyList<string> Paths, string SaveDir, int BatchSize)
{
    /// <summary>Null: save_dir's trained_model.pt.</summary>
    public string? Weights { get; init; }

    /// <summary>For weights whose .json does not say.</summary>
    public int Routings { get; init; } = CapsNetConfig.DefaultRoutings;

    public Preprocess Preprocess { get; init; }

    /// <summary>Also write recon.png: each input as the network saw it beside its reconstruction.</summary>
    public bool Recon { get; init; }

    public DeviceChoice Device { get; init; }

    public PrecisionChoice Precision { get; init; }

    public int Threads { get; init; }

    /// <summary>The memory a step may take, in bytes; null, what the machine has.</summary>
    public long? MaxMemory { get; init; }
}
