using CapsNet.Training;

namespace CapsNet.Tests.Training;

public sealed class RunFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string[] ThreeEpochsOfFiles =
    [
        "checkpoint-02.optimizer", "checkpoint-02.pt", "checkpoint-03.optimizer", "checkpoint-03.pt",
        "weights-01.pt", "weights-02.pt", "weights-03.pt", "log.csv", "log.png", "trained_model.pt",
        "tensorboard-logs/events.out.tfevents.epoch-0001", "tensorboard-logs/events.out.tfevents.epoch-0002",
        "tensorboard-logs/events.out.tfevents.epoch-0003",
        ".checkpoint.json.0123456789abcdef0123456789abcdef.tmp", ".log.csv.fedcba9876543210fedcba9876543210.tmp",
        "tensorboard-logs/.events.out.tfevents.epoch-0003.00000000000000000000000000000000.tmp",
        // Not a run's: a test run's image, the user's notes, an older version's TensorBoard file.
        "real_and_recon.png", "notes.txt", ".notes.txt.tmp", "tensorboard-logs/events.out.tfevents.1700000000.host",
    ];

    private void Create(params string[] names)
    {
        foreach (string name in names)
        {
            string path = _dir.File(name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, name);
        }
    }

    // A killed epoch's TensorBoard staging folder, with the file TorchSharp named.
    private void CreateStagingFolder() =>
        Create(".tensorboard-logs.11111111111111111111111111111111.tmp/events.out.tfevents.638000000000000000.host.1.1");

    private string[] Remaining() =>
        Directory.GetFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories)
            .Where(path => path != _dir.File("tensorboard-logs"))
            .Select(path => Path.GetRelativePath(_dir.Path, path)).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void RollBackRemovesWhatLiesBeyondTheCheckpointAndNothingElse()
    {
        Create(ThreeEpochsOfFiles);
        CreateStagingFolder();
        var checkpoint = new Checkpoint(2, 0.5, "checkpoint-02.pt", "checkpoint-02.optimizer");

        new RunFolder(_dir.Path, FaultPoints.None).RollBack(checkpoint);

        Assert.Equal(
        [
            ".notes.txt.tmp", "checkpoint-02.optimizer", "checkpoint-02.pt", "log.csv", "log.png", "notes.txt", "real_and_recon.png",
            "tensorboard-logs/events.out.tfevents.1700000000.host", "tensorboard-logs/events.out.tfevents.epoch-0001",
            "tensorboard-logs/events.out.tfevents.epoch-0002", "trained_model.pt", "weights-01.pt", "weights-02.pt",
        ], Remaining());
    }

    [Fact]
    public void ClearRemovesTheWholeRunButKeepsTheWeightsItStartsFrom()
    {
        Create([.. ThreeEpochsOfFiles, "checkpoint.json"]);
        CreateStagingFolder();

        new RunFolder(_dir.Path, FaultPoints.None).Clear(keep: _dir.File("weights-02.pt"));

        Assert.Equal(
        [
            ".notes.txt.tmp", "notes.txt", "real_and_recon.png", "tensorboard-logs/events.out.tfevents.1700000000.host", "weights-02.pt",
        ], Remaining());
    }

    [Fact]
    public void AFileThatCannotBeRemovedIsNamedAndTheRestIsLeft()
    {
        Create("checkpoint.json", "log.csv");
        OutputPathTests.Sh($"chmod 755 '{_dir.Path}'");  // readable by others, writable only by root

        var e = Unprivileged.Run(() => Assert.Throws<UserInputException>(() => new RunFolder(_dir.Path, FaultPoints.None).Clear(keep:
            null)));

        Assert.Equal($"Could not remove '{_dir.File("checkpoint.json")}': Access to the path '{_dir.File("checkpoint.json")}' is denied.",
            e.Message);
        Assert.Equal(["checkpoint.json", "log.csv"], Remaining());
    }

    [Fact]
    public void RunFilesAreThoseOfARunOnly()
    {
        Create("notes.txt", "real_and_recon.png", "tensorboard-logs/events.out.tfevents.1700000000.host");
        Assert.False(new RunFolder(_dir.File("absent"), FaultPoints.None).HasRunFiles());
        Assert.False(new RunFolder(_dir.Path, FaultPoints.None).HasRunFiles());

        Create(".weights-01.pt.0123456789abcdef0123456789abcdef.tmp");

        Assert.True(new RunFolder(_dir.Path, FaultPoints.None).HasRunFiles());
    }
}
