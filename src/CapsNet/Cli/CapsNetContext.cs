using Spectre.Console;

namespace CapsNet.Cli;

/// <summary>
/// What every command's handler runs with: where it writes, the fault points of a training run, and the one catch from failure to the line
/// the user reads.
/// </summary>
internal sealed class CapsNetContext(IAnsiConsole console, TextWriter error, FaultPoints faults)
{
    public IAnsiConsole Console => console;

    public TextWriter Error => error;

    public FaultPoints Faults => faults;

    /// <summary>Runs a handler's work, turning every failure into one line on stderr and its exit code.</summary>
    public int Report(Func<int> work) => Failures.Report(error, work);
}
