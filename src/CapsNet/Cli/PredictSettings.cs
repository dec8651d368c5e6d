using CapsNet.Imaging;
using CapsNet.Model;
using CapsNet.Native;

namespace CapsNet.Cli;

/// <summary>What <c>capsnet predict</c> is told.</summary>
public sealed record PredictSettings(
    IReadOnlyList<string> Paths,
    string? Weights,
    Preprocess Preprocess,
    bool Recon,
    string SaveDir,
    int BatchSize,
    DeviceChoice Device,
    Precision Precision,
    int Threads);
