using CapsNet.Training;

namespace CapsNet.Tests.Training;

/// <summary>How a resumed run reads log.csv back: the rows of the epochs its checkpoint holds, and nothing broken.</summary>
public sealed class TrainingLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string LogPath => _dir.File("log.csv");

    private static EpochMetrics Row(int epoch) => new(epoch, 0.5 + epoch / 10.0, 0.2, 0.05, 0.22, 0.6, 0.15, 0.04, 0.17, 0.001);

    [Fact]
    public void ResumingKeepsTheRowsBeforeTheCheckpointAndSaysWhetherLaterOnesWereThere()
    {
        // A blank line, as an editor may leave at the end, is not a row.
        File.WriteAllText(LogPath, string.Join("\n", EpochMetrics.CsvHeader, Row(0).ToCsv(), Row(1).ToCsv(), Row(2).ToCsv(), "", ""));

        var log = new TrainingLog(LogPath);
        Assert.True(log.LoadEpochsBefore(2));
        Assert.Equal([Row(0), Row(1)], log.Rows);

        var whole = new TrainingLog(LogPath);
        Assert.False(whole.LoadEpochsBefore(3));
        Assert.Equal([Row(0), Row(1), Row(2)], whole.Rows);

        Assert.False(new TrainingLog(_dir.File("absent.csv")).LoadEpochsBefore(2));
    }

    [Theory]
    [InlineData("")]
    [InlineData("epoch,accuracy\n0,0.5\n")]
    public void ALogWithoutTheHeaderIsRefused(string text)
    {
        File.WriteAllText(LogPath, text);

        var e = Assert.Throws<UserInputException>(() => new TrainingLog(LogPath).LoadEpochsBefore(1));
        Assert.Equal($"Cannot resume: '{LogPath}' does not start with the log.csv header.", e.Message);
    }

    [Fact]
    public void AMalformedRowIsRefused()
    {
        File.WriteAllText(LogPath, $"{EpochMetrics.CsvHeader}\n0,0.5\n");

        var e = Assert.Throws<UserInputException>(() => new TrainingLog(LogPath).LoadEpochsBefore(1));
        Assert.Equal($"Cannot resume: '{LogPath}' has a malformed row (expected 10 columns, found 2).", e.Message);
    }

    [Fact]
    public void ALogThatCannotBeReadIsNamedWithTheReason()
    {
        _dir.UnreadableFile("log.csv");

        var e = Assert.Throws<UserInputException>(() => new TrainingLog(LogPath).LoadEpochsBefore(1));
        Assert.Equal($"Cannot resume: '{LogPath}' cannot be read (Input/output error : '{LogPath}').", e.Message);
    }
}
