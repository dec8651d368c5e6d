using Spectre.Console;

namespace CapsNet;

/// <summary>Plain lines on an injected console, unwrapped and with no markup: log lines stay one line in a file.</summary>
internal static class ConsoleLines
{
    public static void Line(this IAnsiConsole console, string text = "") => console.Profile.Out.Writer.WriteLine(text);
}
