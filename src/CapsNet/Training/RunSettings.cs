using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Native;

namespace CapsNet.Training;

/// <summary>Everything a training or test run is told on the command line; defaults are the reference's.</summary>
public sealed record RunSettings
{
    public int Epochs { get; init; } = 50;
    public int BatchSize { get; init; } = 100;
    public double Lr { get; init; } = 0.001;
    public double LrDecay { get; init; } = 0.9;
    public double LamRecon { get; init; } = 0.392;
    public int Routings { get; init; } = 3;
    public double ShiftFraction { get; init; } = 0.1;
    public bool Debug { get; init; }
    public string SaveDir { get; init; } = "./result";
    public bool Testing { get; init; }

    /// <summary>A class number or name, resolved against the model's classes; null = 5, as the reference, or the last class.</summary>
    public string? Digit { get; init; }

    public string? Weights { get; init; }
    public int Seed { get; init; } = 42;
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    public Precision Precision { get; init; } = Precision.Fp32;
    public int Threads { get; init; }

    /// <summary>A known data set's name or a folder; null = the model's own (testing) or MNIST.</summary>
    public string? Dataset { get; init; }

    public int? Channels { get; init; }
    public int? ImageSize { get; init; }
    public int? TrainSamples { get; init; }
    public int? TestSamples { get; init; }

    /// <summary>Training images held out (the last N) to validate on instead of the test set.</summary>
    public int? ValSamples { get; init; }

    public bool Resume { get; init; }
    public bool Overwrite { get; init; }
}
