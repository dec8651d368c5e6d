using System.Diagnostics;
using CapsNet.Tests.Model;
using Xunit.Abstractions;

namespace CapsNet.Tests.Training;

/// <summary>
/// A short seeded run killed with SIGKILL at many moments, including inside every write of the first epoch's
/// checkpoint, and resumed each time, ends exactly as the run that was never interrupted. The moments are split in
/// two classes so that xUnit runs the two halves side by side: about 30 processes in a row were the suite's longest
/// path.
/// </summary>
public abstract class FaultInjectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The run these tests kill, which <c>FaultPointTrailTests</c> also lists in-process: 40 training images in
    /// batches of 20, two batches an epoch, two epochs, from <see cref="WriteRunData"/>'s folder.
    /// </summary>
    internal static string[] RunArgs(string data, string saveDir, params string[] more) =>
        ["--epochs", "2", "--batch_size", "20", "--dataset", data, "--seed", "7", "--save_dir", saveDir, .. more];

    /// <summary>A folder of just the run's images, so that none of the processes reads all of MNIST.</summary>
    internal static string WriteRunData(string folder) => MnistSubset.Write(folder, train: 40, test: 20);

    private string[] Args(string saveDir, params string[] more) => RunArgs(_data, saveDir, more);

    private readonly string _data;

    protected FaultInjectionTests(ITestOutputHelper output)
    {
        _output = output;
        _data = WriteRunData(_dir.File("data"));
    }

    private readonly ITestOutputHelper _output;

    /// <summary>The moments this half kills at, from every moment of an uninterrupted run in order.</summary>
    protected abstract List<string> Targets(string[] points);

    /// <summary>Every moment of the first epoch: its batches and each write of its files, before and after the rename.</summary>
    protected static List<string> FirstEpoch(string[] points) =>
        points.Where(p => p.StartsWith("epoch 1/", StringComparison.Ordinal)).ToList();

    protected void KilledAtEachMomentAndResumedTheRunEndsAsTheUninterruptedOne()
    {
        var clock = Stopwatch.StartNew();
        string straight = _dir.File("straight"), killed = _dir.File("killed");
        var (exitCode, points, listing) = CapsNetProcess.RunListingFaultPoints(Args(straight));
        Assert.True(exitCode == 0, listing);
        List<string> targets = Targets(points);
        Assert.True(targets.Count >= 10, string.Join("\n", points));

        foreach (string target in targets)
        {
            bool started = Directory.Exists(killed) && Directory.EnumerateFileSystemEntries(killed).Any();
            CapsNetProcess.KillAt(target, Args(killed, started ? ["--resume"] : []));
            _output.WriteLine($"killed at {target}: {string.Join(" ", Listing(killed))}");
        }
        var (finalExitCode, finalOutput, finalErrors) = CapsNetProcess.Run(Args(killed, "--resume"));
        Assert.True(finalExitCode == 0, finalOutput + finalErrors);

        Assert.Equal(Listing(straight), Listing(killed));
        Assert.DoesNotContain(Listing(killed), name => name.EndsWith(".tmp", StringComparison.Ordinal));
        // log.csv, checkpoint.json and the Adam state byte for byte; trained_model.pt, the best weights and the checkpoint's weights
        // tensor for tensor.
        foreach (string file in Listing(straight).Where(name => Path.GetExtension(name) is ".csv" or ".json" or ".optimizer"))
            Assert.True(File.ReadAllBytes(Path.Combine(straight, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(killed, file))),
                $"{file} differs");
        foreach (string file in Listing(straight).Where(name => Path.GetExtension(name) is ".pt"))
            Assert.Empty(SameWeights.Differences(Path.Combine(straight, file), Path.Combine(killed, file)));
        foreach (string events in Directory.GetFiles(Path.Combine(straight, "tensorboard-logs")))
        {
            string other = Path.Combine(killed, "tensorboard-logs", Path.GetFileName(events));
            Assert.Equal(9, Events(events).Length);  // the epoch's losses, accuracies and lr
            Assert.Equal(Events(events), Events(other));
        }
        _output.WriteLine($"{targets.Count} kills and resumes in {clock.Elapsed.TotalSeconds:F0} s");
    }

    // Every name under the folder, relative to it, sorted.
    private static string[] Listing(string folder) =>
        Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(folder,
            path)).Order(StringComparer.Ordinal).ToArray();

    // The events of a TensorBoard file after the first (the file's version), each without its wall time, which is
    // when the epoch was written.
    private static Tensorboard.Event[] Events(string path) =>
        TensorBoardFile.Read(path).Skip(1).Select(e =>
        {
            Tensorboard.Event timeless = e.Clone();
            timeless.WallTime = 0;
            return timeless;
        }).ToArray();
}

public sealed class FaultInjectionInTheFirstEpochTests(ITestOutputHelper output) : FaultInjectionTests(output)
{
    [Fact]
    public void KilledAtEveryMomentOfTheFirstEpochAndResumedTheRunEndsAsTheUninterruptedOne() =>
        KilledAtEachMomentAndResumedTheRunEndsAsTheUninterruptedOne();

    protected override List<string> Targets(string[] points)
    {
        List<string> targets = FirstEpoch(points);
        Assert.Contains("epoch 1/checkpoint.json written", targets);  // the moment the issue reported
        return targets;
    }
}

public sealed class FaultInjectionLaterTests(ITestOutputHelper output) : FaultInjectionTests(output)
{
    [Fact]
    public void KilledAtEverySecondLaterMomentAndResumedTheRunEndsAsTheUninterruptedOne() =>
        KilledAtEachMomentAndResumedTheRunEndsAsTheUninterruptedOne();

    // Every second moment after the first epoch, and once inside the clean-up a resumed run starts with.
    protected override List<string> Targets(string[] points)
    {
        // Once an epoch's checkpoint.json is written, a run killed while removing the previous checkpoint's files
        // resumes past that epoch: of those removals (weights, their .json, the Adam state) only the first can be
        // aimed at.
        static bool Removal(string point) => point.EndsWith(" removed", StringComparison.Ordinal);
        string[] later = points.Except(FirstEpoch(points)).Where(p => !p.StartsWith("start/", StringComparison.Ordinal)).ToArray();
        string[] rest = later.Where((p, i) => !(Removal(p) && i > 0 && Removal(later[i - 1]))).ToArray();
        var targets = rest.Where((_, i) => i % 2 == 0).ToList();
        Assert.Contains("epoch 2/log.png written", targets);  // log.csv has epoch 2's row, which the next start removes
        targets.Insert(targets.IndexOf("epoch 2/log.png written") + 1, "start/log.csv written");
        return targets;
    }
}
