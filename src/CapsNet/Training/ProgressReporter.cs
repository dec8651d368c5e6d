using Spectre.Console;

namespace CapsNet.Training;

/// <summary>
/// Shows a pass over batches: a live progress bar on a terminal, like Keras; plain milestone lines (every
/// tenth of the pass) when the output is redirected, as in CI or a pipe.
/// </summary>
internal sealed class ProgressReporter
{
    private readonly IAnsiConsole _console;
    private readonly TimeProvider _clock;
    private readonly bool _interactive;

    /// <param name="clock">Where the redirected lines' elapsed time comes from: the system's, unless a test moves its own.</param>
    public ProgressReporter(IAnsiConsole console, TimeProvider? clock = null)
    {
        _console = console;
        _clock = clock ?? TimeProvider.System;
        _interactive = console.Profile.Capabilities.Interactive;
    }

    /// <summary>Runs <paramref name="pass"/>, which reports (batches done, status text) as it goes.</summary>
    public void Run(string title, int batches, Action<Action<int, string>> pass)
    {
        if (_interactive)
        {
            _console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(),
                         new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    ProgressTask task = context.AddTask(Markup.Escape(title), maxValue: batches);
                    pass((done, status) =>
                    {
                        task.Value = done;
                        task.Description = Markup.Escape($"{title} {done}/{batches} {status}");
                    });
                });
            return;
        }

        long start = _clock.GetTimestamp();
        int step = Math.Max(1, batches / 10);
        pass((done, status) =>
        {
            if (done % step != 0 && done != batches)
                return;
            TimeSpan elapsed = _clock.GetElapsedTime(start);
            TimeSpan eta = done == 0 ? TimeSpan.Zero : elapsed * (batches - done) / done;
            _console.Line($"{title} {done}/{batches} {status} - {elapsed:hh\\:mm\\:ss} elapsed, ETA {eta:hh\\:mm\\:ss}");
        });
    }
}
