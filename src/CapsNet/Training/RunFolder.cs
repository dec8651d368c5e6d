using CapsNet.Model;

namespace CapsNet.Training;

/// <summary>
/// The files a training run keeps in its save_dir (<see cref="RunFiles"/>), brought back in line with its checkpoint
/// when a run starts. Files of other kinds (test images, the user's own) are never touched.
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
internal sealed class RunFolder(string saveDir, FaultPoints faults)
{
    public string Folder => saveDir;

    /// <summary>Whether the folder holds anything a training run leaves, complete or not.</summary>
    public bool HasRunFiles() => Directory.Exists(saveDir) && RunEntries().Any();

    /// <summary>Removes what lies beyond <paramref name="checkpoint"/>: temporaries, later epochs' files, other checkpoint files.</summary>
    public void RollBack(Checkpoint checkpoint)
    {
        foreach (string path in RunEntries())
        {
            string name = Path.GetFileName(path);
            bool beyond = WriteTemporary.TargetOfTemporary(name) is not null
                || RunFiles.EpochOf(name) > checkpoint.NextEpoch
                || (RunFiles.IsCheckpointFile(name) && !Names(checkpoint, name));
            if (beyond)
                Remove(path);
        }
    }

    /// <summary>
    /// Removes a run for a new one to start: <c>checkpoint.json</c> first, so that a crash half way leaves no
    /// checkpoint, only files the next start removes too. <paramref name="keep"/> (the weights the new run
    /// starts from, say) stays, with its .json.
    /// </summary>
    public void Clear(string? keep)
    {
        string checkpoint = Path.Combine(saveDir, RunFiles.CheckpointFile);
        if (File.Exists(checkpoint))
            Remove(checkpoint);
        string[] kept = keep is null ? [] : [Path.GetFullPath(keep), Path.GetFullPath(ConfigFile.PathFor(keep))];
        foreach (string path in RunEntries().Where(path => !kept.Contains(Path.GetFullPath(path))))
            Remove(path);
    }

    /// <summary>After <paramref name="checkpoint"/> is written: the files of the checkpoints before it.</summary>
    public void RemoveOtherCheckpointFiles(Checkpoint checkpoint)
    {
        foreach (string path in Directory.EnumerateFiles(saveDir).ToArray())
        {
            string name = Path.GetFileName(path);
            if (RunFiles.IsCheckpointFile(name) && !Names(checkpoint, name))
                Remove(path);
        }
    }

    // Files and temporaries of a run in save_dir and its TensorBoard folder; checkpoint.json is the caller's to handle.
    private IEnumerable<string> RunEntries()
    {
        string tensorBoard = Path.Combine(saveDir, RunFiles.TensorBoard);
        IEnumerable<string> entries = Directory.EnumerateFileSystemEntries(saveDir);
        if (Directory.Exists(tensorBoard))
            entries = entries.Concat(Directory.EnumerateFileSystemEntries(tensorBoard));
        return entries.Where(path => IsRunEntry(Path.GetFileName(path))).ToArray();
    }

    // A run's own files, and the temporaries of its writes (TensorBoard's staging folder is named for its folder).
    private static bool IsRunEntry(string name) =>
        WriteTemporary.TargetOfTemporary(name) is string target
            ? target is RunFiles.CheckpointFile or RunFiles.TensorBoard || RunFiles.IsTrainingFile(target)
            : RunFiles.IsTrainingFile(name);

    // The checkpoint's weights, their .json and the optimizer state.
    private static bool Names(Checkpoint checkpoint, string name) =>
        name == checkpoint.ModelFile || name == checkpoint.OptimizerFile || name == ConfigFile.PathFor(checkpoint.ModelFile);

    private void Remove(string path)
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
        faults.Reach($"{Path.GetFileName(path)} removed");
    }
}
