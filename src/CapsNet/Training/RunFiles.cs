using System.Globalization;

namespace CapsNet.Training;

/// <summary>
/// The names of the files runs write in their folder (--save_dir), and which of them belong to an epoch: the one
/// place they are spelled, for writing, rolling back, replacing and testing alike. No I/O.
/// </summary>
internal static class RunFiles
{
    public const string Log = "log.csv";
    public const string Plot = "log.png";
    public const string TrainedModel = "trained_model.pt";
    public const string TrainedModelConfig = "trained_model.json";

    /// <summary>The checkpoint's index, written last: what it names is the run's one source of truth.</summary>
    public const string CheckpointFile = "checkpoint.json";

    public const string TensorBoard = "tensorboard-logs";
    public const string RealAndReconstructed = "real_and_recon.png";
    public const string Predictions = "predictions.csv";
    public const string Reconstructions = "recon.png";

    public static string Manipulation(int digit) => $"manipulate-{digit}.png";

    /// <summary>The best weights so far, written when an epoch (1-based) improves on them; with their .json.</summary>
    public static string BestWeights(int epochNumber) => BestWeightsFiles.Name(epochNumber, ".pt");

    /// <summary>The weights of the checkpoint taken after <paramref name="nextEpoch"/> epochs; with their .json.</summary>
    public static string CheckpointWeights(int nextEpoch) => CheckpointFiles.Name(nextEpoch, ".pt");

    public static string CheckpointOptimizer(int nextEpoch) => CheckpointFiles.Name(nextEpoch, ".optimizer");

    /// <summary>An epoch's (1-based) TensorBoard events, in <see cref="TensorBoard"/>: TensorBoard reads them in name order.</summary>
    public static string TensorBoardEvents(int epochNumber) => EventsFiles.Name(epochNumber, "");

    /// <summary>The 1-based epoch that best weights (or their .json) or a TensorBoard events file belong to, else 0.</summary>
    public static int EpochOf(string name) => BestWeightsFiles.NumberOf(name) ?? EventsFiles.NumberOf(name) ?? 0;

    /// <summary>Whether <paramref name="name"/> is a checkpoint's weights, their .json or its optimizer state.</summary>
    public static bool IsCheckpointFile(string name) => CheckpointFiles.NumberOf(name) is not null;

    /// <summary>Whether a training run writes files of this name (test images and predictions are not a run's).</summary>
    public static bool IsTrainingFile(string name) =>
        name is Log or Plot or TrainedModel or TrainedModelConfig || EpochOf(name) > 0 || IsCheckpointFile(name);

    private static readonly Numbered BestWeightsFiles = new("weights-", 2, ".pt", ".json");
    private static readonly Numbered CheckpointFiles = new("checkpoint-", 2, ".pt", ".json", ".optimizer");
    private static readonly Numbered EventsFiles = new("events.out.tfevents.epoch-", 4, "");

    /// <summary>PREFIX, a number (written with at least <paramref name="Digits"/> digits), one of the suffixes.</summary>
    private sealed record Numbered(string Prefix, int Digits, params string[] Suffixes)
    {
        public string Name(int number, string suffix) => $"{Prefix}{number.ToString($"D{Digits}", CultureInfo.InvariantCulture)}{suffix}";

        public int? NumberOf(string name)
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
                return null;
            string rest = name[Prefix.Length..];
            int digits = rest.TakeWhile(char.IsAsciiDigit).Count();
            bool known = digits > 0 && Suffixes.Contains(rest[digits..]);
            return known && int.TryParse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out int number) ? number : null;
        }
    }
}
