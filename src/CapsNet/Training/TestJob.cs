using CapsNet.Model;
using CapsNet.Native;

namespace CapsNet.Training;

/// <summary>What the test command is told: the weights and where their test goes.</summary>
internal sealed record TestJob(string SaveDir, int BatchSize, int Seed, PrecisionChoice Precision)
{
    /// <summary>Null: save_dir's trained_model.pt when there is one, else a network of random weights.</summary>
    public string? Weights { get; init; }

    /// <summary>For weights whose .json does not say.</summary>
    public int Routings { get; init; } = CapsNetConfig.DefaultRoutings;

    /// <summary>A class number or name, resolved against the model's classes; null = 5, as the reference, or the last class.</summary>
    public string? Digit { get; init; }

    public DeviceChoice Device { get; init; }

    public int Threads { get; init; }

    /// <summary>A known data set's name or a folder; null = the model's own.</summary>
    public string? Dataset { get; init; }

    public int? TestSamples { get; init; }

    /// <summary>The memory a step may take, in bytes; null, what the machine has.</summary>
    public long? MaxMemory { get; init; }

    /// <summary>MultiMNIST: the largest shift of the test pairs' digits; null, the paper's.</summary>
    public int? PairShift { get; init; }
}
