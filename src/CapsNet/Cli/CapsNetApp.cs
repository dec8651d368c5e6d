using System.CommandLine;
using Spectre.Console;

namespace CapsNet.Cli;

/// <summary>Entry point: parse, report usage errors with exit code 2, else run the command.</summary>
internal static class CapsNetApp
{
    /// <summary>Runs on the process's console: live progress on a terminal, plain lines when output is redirected.</summary>
    public static int Run(string[] args) => Run(args, AnsiConsole.Create(new AnsiConsoleSettings
    {
        Interactive = Console.IsOutputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
    }), Console.Error, FaultPoints.FromEnvironment(Console.Error));

    /// <param name="console">Where commands write their output; tests pass one that records it.</param>
    /// <param name="faults">Where a training run's moments are reported to the fault-injection tests.</param>
    public static int Run(string[] args, IAnsiConsole console, TextWriter error, FaultPoints? faults = null)
    {
        ParseResult parsed = new CapsNetCommand(new CapsNetContext(console, error, faults ?? FaultPoints.None)).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (string problem in parsed.Errors.Select(problem => OneLine(problem.Message)).Distinct())
                error.WriteLine($"error: {problem}");
            error.WriteLine("Run with -h to see every option.");
            return Failures.UsageError;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = console.Profile.Out.Writer, Error = error });
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
