using CapsNet.Native;

namespace CapsNet.Training;

/// <summary>A training run as the train command gives it: the run itself, and where and how this sitting of it goes.</summary>
internal sealed record TrainingJob(RunConfig Run, string SaveDir)
{
    /// <summary>Weights a new run starts from (fine-tuning); a resumed run continues from its checkpoint's.</summary>
    public string? Weights { get; init; }

    public DeviceChoice Device { get; init; }

    /// <summary>libtorch's CPU threads; 0 keeps one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Also write weight histograms to TensorBoard every epoch.</summary>
    public bool Debug { get; init; }

    public bool Resume { get; init; }

    /// <summary>Start over where the folder holds an unfinished run.</summary>
    public bool Overwrite { get; init; }

    /// <summary>The memory a step may take, in bytes; null, what the machine has.</summary>
    public long? MaxMemory { get; init; }
}
