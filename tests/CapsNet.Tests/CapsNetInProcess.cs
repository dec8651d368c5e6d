using CapsNet.Cli;

namespace CapsNet.Tests;

/// <summary>
/// Runs the command line in the test's own process, as <c>Program</c> does, with its output recorded: what a user
/// would read, without the second or two a new process spends loading libtorch. <see cref="CapsNetProcess"/> is for
/// what needs a process of its own (signals, kill -9, a lock held by another process).
/// </summary>
internal static class CapsNetInProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int exitCode = CapsNetApp.Run(args, TestConsole.Create(output), errors);
        return (exitCode, output.ToString(), errors.ToString());
    }
}
