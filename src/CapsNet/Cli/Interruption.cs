using System.Runtime.InteropServices;
using CapsNet.Native;

namespace CapsNet.Cli;

/// <summary>
/// Turns the first Ctrl-C (SIGINT) or SIGTERM into a cancellation the training loop checks between batches;
/// a second one exits at once.
/// </summary>
internal sealed class Interruption : IDisposable
{
    public const int ExitCode = 130;

    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private readonly TextWriter _error;

    public Interruption(TextWriter error)
    {
        _error = error;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    public CancellationToken Token => _source.Token;

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        if (_source.IsCancellationRequested)
        {
            _error.WriteLine("Stopped at once; the last finished epoch's checkpoint is kept.");
            ImmediateExit.Now(ExitCode);
        }
        _error.WriteLine($"{context.Signal}: stopping after the current batch; finished epochs are kept. Send it again to quit at once.");
        _source.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _source.Dispose();
    }
}
