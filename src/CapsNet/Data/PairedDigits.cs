namespace CapsNet.Data;

/// <summary>
/// How MultiMNIST overlays its digits: each shifted by up to <paramref name="Shift"/> px on a canvas <paramref name="Pad"/> px wider on
/// every side.
/// </summary>
internal sealed record PairedDigits(int Shift, int Pad)
{
    /// <summary>The seed of the validation and test pairs: the same for every run, so that results compare.</summary>
    public const int EvaluationSeed = 0;

    public int CanvasSide(int digitSide) => digitSide + 2 * Pad;
}
