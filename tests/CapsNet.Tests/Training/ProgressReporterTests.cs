using System.Text.RegularExpressions;
using CapsNet.Training;
using Spectre.Console;

namespace CapsNet.Tests.Training;

public sealed class ProgressReporterTests
{
    // A clock that moves only when told to.
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    [Fact]
    public void RedirectedOutputGetsEveryTenthBatchAndTheLastWithElapsedTimeAndEstimate()
    {
        var output = new StringWriter();
        var clock = new ManualClock();

        new ProgressReporter(TestConsole.Create(output), clock).Run("Epoch 1/3", 25, report =>
        {
            for (int done = 1; done <= 25; done++)
            {
                clock.Advance(TimeSpan.FromSeconds(3));
                report(done, $"loss {done}");
            }
        });

        // 25 / 10 = every 2nd batch, and the 25th; at 3 s a batch, batch d has taken 3d s and leaves 3 (25 - d) s.
        int[] shown = [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 25];
        Assert.Equal(
            shown.Select(d =>
                $"Epoch 1/3 {d}/25 loss {d} - {TimeSpan.FromSeconds(3 * d):hh\\:mm\\:ss} elapsed, ETA " +
                    $"{TimeSpan.FromSeconds(3 * (25 - d)):hh\\:mm\\:ss}"),
            output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Epoch 1/3 2/25 loss 2 - 00:00:06 elapsed, ETA 00:01:09", output.ToString());
    }

    [Fact]
    public void ATerminalGetsABarWhoseDescriptionEndsWithTheLastBatch()
    {
        var output = new StringWriter();
        int passes = 0;

        new ProgressReporter(Terminal(output)).Run("Epoch [1]/3", 4, report =>
        {
            passes++;
            for (int done = 1; done <= 4; done++)
                report(done, "loss [x]");
        });

        string text = WithoutEscapes(output);
        Assert.Equal(1, passes);
        Assert.Contains("Epoch [1]/3 4/4 loss [x]", text);  // markup characters in the title and status shown as they are
        Assert.DoesNotContain("ETA", text);  // no redirected-output lines besides the bar
    }

    [Fact]
    public void ABarWithoutReportsShowsItsTitle()
    {
        var output = new StringWriter();

        new ProgressReporter(Terminal(output)).Run("Epoch [1]/3", 0, _ => { });

        Assert.Contains("Epoch [1]/3", WithoutEscapes(output));
    }

    private static IAnsiConsole Terminal(TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Yes,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.Yes,
        Out = new AnsiConsoleOutput(output),
    });

    private static string WithoutEscapes(StringWriter output) => Regex.Replace(output.ToString(), @"\x1b\[[0-9;?]*[A-Za-z]", "");
}
