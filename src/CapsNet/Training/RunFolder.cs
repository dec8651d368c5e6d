using System.Text.RegularExpressions;

namespace CapsNet.Training;

/// <summary>
/// The files a training run keeps in its save_dir, brought back in line with its checkpoint when a run starts.
/// Files of other kinds (test images, the user's own) are never touched.
/// </summary>
/// <remarks>
/// The order of a finished epoch's writes, each one whole (<see cref="AtomicFile"/>): the new best
/// <c>weights-NN.pt</c> (after its <c>.json</c>), the epoch's TensorBoard events file, <c>log.csv</c>, <c>log.png</c>, the checkpoint's
/// <c>checkpoint-NN.json</c>, <c>checkpoint-NN.pt</c> and <c>.optimizer</c>, then <c>checkpoint.json</c>, the commit point, and last the
/// previous checkpoint's files are removed. So whatever a crash leaves, everything the checkpoint names is
/// complete, and everything beyond it is one of: a temporary file, files of a later epoch, log rows of a later
/// epoch, or checkpoint files it does not name. <see cref="RollBack"/> removes exactly those (the log rows go
/// with <see cref="TrainingArtifacts.Resume"/>), and removing them again after a crash does no harm.
/// </remarks>
public static partial class RunFolder
{
    public const string LogFile = "log.csv";
    public const string PlotFile = "log.png";

    public static string BestWeightsFileOf(int epochNumber) => $"weights-{epochNumber:D2}.pt";

    /// <summary>Whether <paramref name="saveDir"/> holds anything a training run leaves, complete or not.</summary>
    public static bool HasRunFiles(string saveDir) => Directory.Exists(saveDir) && RunEntries(saveDir).Any();

    /// <summary>Removes what lies beyond <paramref name="checkpoint"/>: temporaries, later epochs' files, other checkpoint files.</summary>
    public static void RollBack(string saveDir, Checkpoint checkpoint)
    {
        foreach (string path in RunEntries(saveDir))
        {
            string name = Path.GetFileName(path);
            bool beyond = AtomicFile.TargetOfTemporary(name) is not null
                || EpochOf(name) > checkpoint.NextEpoch
                || (IsCheckpointFile(name) && !Names(checkpoint, name));
            if (beyond)
                Remove(path);
        }
    }

    /// <summary>
    /// Removes a run for a new one to start: <c>checkpoint.json</c> first, so that a crash half way leaves no
    /// checkpoint, only files the next start removes too. <paramref name="keep"/> (the weights the new run
    /// starts from, say) stays, with its .json.
    /// </summary>
    public static void Clear(string saveDir, string? keep)
    {
        string checkpoint = Path.Combine(saveDir, Checkpoint.FileName);
        if (File.Exists(checkpoint))
            Remove(checkpoint);
        string[] kept = keep is null ? [] : [Path.GetFullPath(keep), Path.GetFullPath(Model.ConfigFile.PathFor(keep))];
        foreach (string path in RunEntries(saveDir).Where(path => !kept.Contains(Path.GetFullPath(path))))
            Remove(path);
    }

    /// <summary>After <paramref name="checkpoint"/> is written: the files of the checkpoints before it.</summary>
    public static void RemoveOtherCheckpointFiles(string saveDir, Checkpoint checkpoint)
    {
        foreach (string path in Directory.EnumerateFiles(saveDir).ToArray())
        {
            string name = Path.GetFileName(path);
            if (IsCheckpointFile(name) && !Names(checkpoint, name))
                Remove(path);
        }
    }

    // Files and temporaries of a run in save_dir and its TensorBoard folder; checkpoint.json is the caller's to handle.
    private static IEnumerable<string> RunEntries(string saveDir)
    {
        string tensorBoard = Path.Combine(saveDir, TensorBoardEpoch.Folder);
        IEnumerable<string> entries = Directory.EnumerateFileSystemEntries(saveDir);
        if (Directory.Exists(tensorBoard))
            entries = entries.Concat(Directory.EnumerateFileSystemEntries(tensorBoard));
        return entries.Where(path => IsRunEntry(Path.GetFileName(path))).ToArray();
    }

    // A run's own files, and the temporaries of its writes (TensorBoard's staging folder is named for its folder).
    private static bool IsRunEntry(string name) =>
        AtomicFile.TargetOfTemporary(name) is string target
            ? target is Checkpoint.FileName or TensorBoardEpoch.Folder || IsRunFile(target)
            : IsRunFile(name);

    private static bool IsRunFile(string name) =>
        name is LogFile or PlotFile or TrainingArtifacts.TrainedModelFile || name == TrainedModelConfig || EpochFilePattern().IsMatch(name);

    private static readonly string TrainedModelConfig = Path.GetFileName(Model.ConfigFile.PathFor(TrainingArtifacts.TrainedModelFile));

    // The checkpoint's weights, their .json and the optimizer state.
    private static bool Names(Checkpoint checkpoint, string name) =>
        name == checkpoint.ModelFile || name == checkpoint.OptimizerFile || name == Model.ConfigFile.PathFor(checkpoint.ModelFile);

    private static bool IsCheckpointFile(string name) => EpochFilePattern().Match(name).Groups["checkpoint"].Success;

    /// <summary>The 1-based epoch a best-weights or TensorBoard file belongs to, else 0.</summary>
    private static int EpochOf(string name)
    {
        Match match = EpochFilePattern().Match(name);
        Group epoch = match.Groups["epoch"];
        return epoch.Success ? int.Parse(epoch.Value) : 0;
    }

    private static void Remove(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
            else
                File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Could not remove '{path}': {e.Message}", e);
        }
        FaultPoint.Reach($"{Path.GetFileName(path)} removed");
    }

    [GeneratedRegex(@"^(?:weights-(?<epoch>\d+)\.(?:pt|json)|events\.out\.tfevents\.epoch-(?<epoch>\d+)|(?<checkpoint>checkpoint-\d+\.(?:pt|json|optimizer)))$")]
    private static partial Regex EpochFilePattern();
}
