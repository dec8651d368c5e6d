using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Native;

namespace CapsNet.Training;

/// <summary>Everything a run is told on the command line; defaults are the reference's.</summary>
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
    public int Digit { get; init; } = 5;
    public string? Weights { get; init; }
    public int Seed { get; init; } = 42;
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    public Precision Precision { get; init; } = Precision.Fp32;
    public int Threads { get; init; }
    public string DataDir { get; init; } = DataFolder.Relative;
    public int? TrainSamples { get; init; }
    public int? TestSamples { get; init; }
    public bool Resume { get; init; }
    public bool Overwrite { get; init; }
}
