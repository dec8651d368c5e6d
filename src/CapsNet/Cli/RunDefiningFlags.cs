using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using CapsNet.Training;

namespace CapsNet.Cli;

/// <summary>
/// The flags that define what a training run computes, stored in its checkpoint. On --resume the stored values
/// stand in for the flags not given, and a flag given with another value is refused, each difference named.
/// --epochs is apart: a resumed run may be given more epochs (to extend a finished run), not fewer than it has
/// trained. Adding a setting is adding its option to the list <see cref="CapsNetCommand"/> gives.
/// </summary>
public sealed class RunDefiningFlags(Option<int> epochs, IReadOnlyList<Option> flags)
{
    /// <summary>Each flag's value, as text; flags without a value are left out.</summary>
    public Dictionary<string, string> ValuesOf(CommandResult parsed) =>
        flags.Select(flag => (flag.Name, Value: ValueOf(parsed.GetResult(flag))))
            .Where(flag => flag.Value is not null)
            .ToDictionary(flag => flag.Name, flag => flag.Value!);

    /// <summary>The flags given on the command line that contradict <paramref name="stored"/>, in one line; null when none do.</summary>
    public string? Contradictions(CommandResult parsed, Checkpoint stored)
    {
        var differences = new List<string>();
        if (stored.Settings is not null)
        {
            foreach (Option flag in flags.Where(flag => Given(parsed, flag)))
            {
                string given = ValueOf(parsed.GetResult(flag)) ?? "none";
                string was = stored.Settings.GetValueOrDefault(flag.Name) ?? "none";
                if (given != was)
                    differences.Add($"{flag.Name} stored {was}, given {given}");
            }
        }
        if (Given(parsed, epochs) && parsed.GetValue(epochs) < stored.NextEpoch)
            differences.Add($"--epochs {parsed.GetValue(epochs)} is fewer than the {stored.NextEpoch} already trained");
        return differences.Count == 0 ? null : string.Join("; ", differences);
    }

    /// <summary>Arguments that give the flags not on the command line the values <paramref name="stored"/> holds.</summary>
    public IEnumerable<string> StoredArguments(CommandResult parsed, Checkpoint stored)
    {
        if (stored.Epochs is int storedEpochs && !Given(parsed, epochs))
            yield return $"{epochs.Name}={storedEpochs.ToString(CultureInfo.InvariantCulture)}";
        foreach (Option flag in flags.Where(flag => !Given(parsed, flag)))
        {
            if (stored.Settings?.GetValueOrDefault(flag.Name) is string value)
                yield return $"{flag.Name}={value}";
        }
    }

    private static bool Given(CommandResult parsed, Option flag) => parsed.GetResult(flag) is { Implicit: false };

    // As the command line spells it: enums in lower case.
    private static string? ValueOf(OptionResult? result) => result?.GetValueOrDefault<object?>() switch
    {
        null => null,
        Enum value => value.ToString().ToLowerInvariant(),
        var value => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
