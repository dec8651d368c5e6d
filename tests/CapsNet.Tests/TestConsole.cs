using Spectre.Console;

namespace CapsNet.Tests;

/// <summary>
/// A console that writes plain text to a writer, as a redirected terminal would: what tests read a command's output from.
/// </summary>
internal static class TestConsole
{
    public static IAnsiConsole Create(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
        Out = new AnsiConsoleOutput(writer),
    });
}
