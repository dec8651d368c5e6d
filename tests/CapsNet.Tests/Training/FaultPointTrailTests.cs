using CapsNet.Cli;
using CapsNet.Training;

namespace CapsNet.Tests.Training;

/// <summary>
/// The moments a training run reports, in order, in this process: the names <c>FaultInjectionTests</c> kills the
/// program at. A moment no longer reported would leave those tests killing at nothing, and a file written without
/// its moment would never be killed inside.
/// </summary>
public sealed class FaultPointTrailTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ARunReportsEachBatchAndEveryWriteRenameAndRemovalOfItsFilesInOrder()
    {
        string saveDir = _dir.File("run");
        var errors = new StringWriter();

        // The fault-injection tests' run, two epochs of two batches, listing its moments as their first process does.
        int exitCode = CapsNetApp.Run(FaultInjectionTests.RunArgs(FaultInjectionTests.WriteRunData(_dir.File("data")), saveDir),
            TestConsole.Create(new StringWriter()), errors, new FaultPoints("list", errors));

        Assert.True(exitCode == 0, errors.ToString());
        var log = new TrainingLog(Path.Combine(saveDir, RunFiles.Log));
        log.LoadEpochsBefore(2);
        double best = double.NegativeInfinity;
        var expected = new List<string>();
        foreach (int epoch in new[] { 1, 2 })
        {
            string stage = $"fault point: epoch {epoch}";
            void Written(string file) => expected.AddRange([$"{stage}/{file} written", $"{stage}/{file} renamed"]);
            expected.AddRange([$"{stage}/batch 1", $"{stage}/batch 2"]);
            if (log.Rows[epoch - 1].ValCapsnetAccuracy > best)  // the best weights: their description first
            {
                best = log.Rows[epoch - 1].ValCapsnetAccuracy;
                Written($"weights-0{epoch}.json");
                Written($"weights-0{epoch}.pt");
            }
            Written($"events.out.tfevents.epoch-000{epoch}");
            Written("log.csv");
            Written("log.png");
            Written($"checkpoint-0{epoch}.json");  // the checkpoint's files, then checkpoint.json, the commit point
            Written($"checkpoint-0{epoch}.pt");
            Written($"checkpoint-0{epoch}.optimizer");
            Written("checkpoint.json");
            if (epoch > 1)  // then the previous checkpoint's files, which no checkpoint.json names any longer
                expected.AddRange([$"{stage}/checkpoint-01.pt removed", $"{stage}/checkpoint-01.optimizer removed",
                    $"{stage}/checkpoint-01.json removed"]);
        }
        expected.AddRange(["fault point: end/trained_model.json written", "fault point: end/trained_model.json renamed",
            "fault point: end/trained_model.pt written", "fault point: end/trained_model.pt renamed"]);
        Assert.Equal(expected, errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
