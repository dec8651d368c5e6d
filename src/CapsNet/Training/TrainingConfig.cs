using CapsNet.Model;

namespace CapsNet.Training;

/// <summary>
/// What the trainer is told: the reference's defaults (section 5 of docs/reference), each bound written once in the
/// <c>...Problem</c> functions that the command line's checks and <see cref="Validate"/> share.
/// </summary>
internal sealed record TrainingConfig
{
    public int Epochs { get; init; } = 50;
    public int BatchSize { get; init; } = 100;
    public double Lr { get; init; } = 0.001;

    /// <summary>lr at epoch e (0-based) is lr * lr_decay^e.</summary>
    public double LrDecay { get; init; } = 0.9;

    /// <summary>The weight of the reconstruction loss: 0.0005 x 784; 0 turns the decoder's training off.</summary>
    public double LamRecon { get; init; } = 0.392;

    /// <summary>The largest random shift of a training image, as a fraction of its side.</summary>
    public double ShiftFraction { get; init; } = 0.1;

    /// <summary>Initialisation, shuffling, augmentation and the manipulated sample.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Auto is settled by each sitting, on the machine it runs on: a resumed run may move.</summary>
    public PrecisionChoice Precision { get; init; } = PrecisionChoice.Auto;

    public static string? EpochsProblem(int epochs) => Bounds.AtLeast(epochs, 1);

    public static string? BatchSizeProblem(int batchSize) => Bounds.AtLeast(batchSize, 1);

    public static string? LrProblem(double lr) => Bounds.Positive(lr);

    public static string? LrDecayProblem(double decay) => Bounds.Positive(decay);

    public static string? LamReconProblem(double lamRecon) => double.IsFinite(lamRecon) && lamRecon >= 0 ? null : "must be 0 or more";

    public static string? ShiftFractionProblem(double fraction) => fraction is >= 0 and <= 0.5 ? null : "must be between 0 and 0.5";

    /// <summary>Fails naming the first setting out of its bounds (a checkpoint edited by hand, say).</summary>
    public TrainingConfig Validate()
    {
        Bounds.Ensure("epochs", Epochs, EpochsProblem);
        Bounds.Ensure("batch_size", BatchSize, BatchSizeProblem);
        Bounds.Ensure("lr", Lr, LrProblem);
        Bounds.Ensure("lr_decay", LrDecay, LrDecayProblem);
        Bounds.Ensure("lam_recon", LamRecon, LamReconProblem);
        Bounds.Ensure("shift_fraction", ShiftFraction, ShiftFractionProblem);
        return this;
    }
}
