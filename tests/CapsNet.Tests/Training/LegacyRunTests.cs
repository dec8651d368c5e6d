using CapsNet.Cli;
using CapsNet.Model;
using CapsNet.Training;
using TorchSharp;

namespace CapsNet.Tests.Training;

/// <summary>
/// A run folder written by the previous release (7168236, whose checkpoint.json stores the run as flag strings)
/// resumes under this one. Fixtures/legacy-run holds what that release wrote for
/// <c>--epochs 2 --batch_size 20 --train_samples 40 --test_samples 20 --routings 2 --lam_recon 0.5 --seed 9</c>:
/// checkpoint.json, the .json files, log.csv and the TensorBoard files. Its tensor files (95 MB) are not committed:
/// the test writes them in the same, unchanged formats (a PyTorch state dict, TorchSharp's Adam state).
/// </summary>
public sealed class LegacyRunTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixture => Path.Combine(RepoPaths.Root, "tests", "CapsNet.Tests", "Fixtures", "legacy-run");

    private string CopyOfFixture()
    {
        foreach (string path in Directory.GetFiles(Fixture, "*", SearchOption.AllDirectories))
        {
            string target = _dir.File(Path.GetRelativePath(Fixture, path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target);
        }
        // The checkpoint's tensors: a 2-routing MNIST network as its .json describes, and Adam's state after one step.
        CapsNetConfig config = ConfigFile.Read(_dir.File("checkpoint-02.pt"))!;
        using var model = new CapsuleNetwork(config, new torch.Generator(9));
        using var optimizer = new LeanAdam(model.parameters(), 0.0009);
        using (var scope = torch.NewDisposeScope())
        {
            var (lengths, _) = model.forward(torch.rand(2, 1, 28, 28), torch.tensor(new long[] { 3, 4 }));
            lengths.sum().backward();
        }
        optimizer.step();
        WeightsFile.Save(model, _dir.File("checkpoint-02.pt"));
        using (var writer = new BinaryWriter(File.Create(_dir.File("checkpoint-02.optimizer"))))
            optimizer.save_state_dict(writer);
        return _dir.Path;
    }

    [Fact]
    public void APreviousReleasesRunResumesWithItsStoredSettingsAndIsStoredTypedFromThenOn()
    {
        string saveDir = CopyOfFixture();
        string[] fixtureLog = File.ReadAllLines(Path.Combine(Fixture, "log.csv"));
        Assert.Contains("\"--routings\":\"2\"", File.ReadAllText(Path.Combine(Fixture, "checkpoint.json")));  // the old form indeed

        var output = new StringWriter();
        var errors = new StringWriter();
        int exitCode = CapsNetApp.Run(["--resume", "--epochs", "3", "--save_dir", saveDir], TestConsole.Create(output), errors);

        Assert.True(exitCode == 0, output.ToString() + errors);
        Assert.Contains("Stored settings of the run: --batch_size=20 --lr=0.001 --lr_decay=0.9 --lam_recon=0.5 --routings=2 " +
            "--shift_fraction=0.1 --seed=9 --precision=fp32 --dataset=mnist --train_samples=40 --test_samples=20", output.ToString());
        Assert.Contains("digit_caps (Routing x2)", output.ToString());
        Assert.Contains("Data: 40 training and 20 validation (the test set) images", output.ToString());
        Assert.Contains("Resuming at epoch 3/3", output.ToString());
        string[] log = File.ReadAllLines(_dir.File("log.csv"));
        Assert.Equal(fixtureLog, log[..3]);  // the old release's rows, byte for byte
        Assert.Equal("2", log[3].Split(',')[0]);
        Assert.Equal(0.001 * 0.9 * 0.9, EpochMetrics.FromCsv(log[3]).Lr, 12);

        Checkpoint checkpoint = Checkpoint.Read(saveDir)!;
        Assert.Null(checkpoint.Legacy);
        Assert.Equal((3, 3, 2, 0.5, 9, 40), (checkpoint.NextEpoch, checkpoint.Epochs, checkpoint.Run!.Model.Routings,
            checkpoint.Run.Training.LamRecon, checkpoint.Run.Training.Seed, checkpoint.Run.Data.TrainSamples));
        Assert.False(File.Exists(_dir.File("checkpoint-02.pt")));
    }

    [Fact]
    public void AFlagThatContradictsThePreviousReleasesSettingsIsRefused()
    {
        string saveDir = CopyOfFixture();
        var errors = new StringWriter();

        int exitCode = CapsNetApp.Run(["--resume", "--epochs", "3", "--routings", "3", "--save_dir", saveDir],
            TestConsole.Create(new StringWriter()), errors);

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: Cannot resume '{saveDir}' with other settings: --routings stored 2, given 3. " +
            "Leave those flags out to continue the run as it was.", errors.ToString().Trim());
    }
}
