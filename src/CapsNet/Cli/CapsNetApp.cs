using System.CommandLine;
using System.CommandLine.Parsing;
using Spectre.Console;

namespace CapsNet.Cli;

/// <summary>Entry point: parse, report usage errors with exit code 2, else run the command.</summary>
public static class CapsNetApp
{
    public const int UsageError = 2;

    /// <summary>Runs on the process's console: live progress on a terminal, plain lines when output is redirected.</summary>
    public static int Run(string[] args) => Run(args, AnsiConsole.Create(new AnsiConsoleSettings
    {
        Interactive = Console.IsOutputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
    }), Console.Error);

    /// <param name="console">Where commands write their output; tests pass one that records it.</param>
    public static int Run(string[] args, IAnsiConsole console, TextWriter error)
    {
        ParseResult parsed = new CapsNetCommand(console, error).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (ParseError problem in parsed.Errors)
                error.WriteLine($"error: {OneLine(problem.Message)}");
            error.WriteLine("Run with -h to see every option.");
            return UsageError;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = console.Profile.Out.Writer, Error = error });
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
