using System.CommandLine;
using System.CommandLine.Parsing;

namespace CapsNet.Cli;

/// <summary>Entry point: parse, report usage errors with exit code 2, else run.</summary>
public static class CommandLine
{
    public const int UsageError = 2;

    public static int Run(string[] args) => Run(args, Console.Error);

    public static int Run(string[] args, TextWriter error)
    {
        ParseResult parsed = new CapsNetCommand().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (ParseError problem in parsed.Errors)
                error.WriteLine($"error: {OneLine(problem.Message)}");
            error.WriteLine("Run with -h to see every option.");
            return UsageError;
        }
        return parsed.Invoke();
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
