namespace CapsNet.Training;

/// <summary>
/// How a training sitting ended: all its epochs done, or cancelled with <paramref name="EpochsKept"/> finished and saved.
/// </summary>
internal sealed record TrainingOutcome(bool Finished, int EpochsKept);
