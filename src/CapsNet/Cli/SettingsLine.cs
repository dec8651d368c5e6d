using System.CommandLine;
using System.Globalization;

namespace CapsNet.Cli;

/// <summary>The settings of a run on one line, option names and values, as the reference prints its parsed arguments.</summary>
internal static class SettingsLine
{
    /// <summary>"Settings: epochs=50 batch_size=100 ...": each option's value as the command line spells it.</summary>
    public static string Format(IEnumerable<(string Option, string? Value)> settings) =>
        "Settings: " + string.Join(" ",
            settings.Select(s => $"{s.Option.TrimStart('-')}={(s.Value is null ? "none" : ShellWord.Quote(s.Value))}"));

    /// <summary>The line for <paramref name="options"/> as <paramref name="parsed"/> gives them.</summary>
    public static string Format(IEnumerable<Option> options, ParseResult parsed) =>
        Format(options.Select(option => (option.Name, Text(parsed.GetResult(option)?.GetValueOrDefault<object?>()))));

    /// <summary>A value as the command line spells it: enums in lower case, numbers invariant; null when it has none.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        bool flag => flag ? "true" : "false",
        Enum word => word.ToString().ToLowerInvariant(),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
