using System.CommandLine;
using CapsNet.Training;

namespace CapsNet.Cli;

/// <summary>
/// An option of the train command bound to the field of the job it sets: how the job is read from the command line,
/// printed, compared with a stored run, and rebuilt from an earlier version's flag strings. Run-defining settings
/// are stored in the checkpoint and must not change when a run resumes.
/// </summary>
internal abstract class TrainSetting(Option option, bool runDefining)
{
    public Option Option => option;

    public bool RunDefining => runDefining;

    public string Name => option.Name;

    /// <summary>Whether the command line gives the option (not its default).</summary>
    public bool GivenIn(ParseResult parsed) => parsed.GetResult(option) is { Implicit: false };

    /// <summary>The job with this option's parsed value in its field.</summary>
    public abstract TrainingJob Read(ParseResult parsed, TrainingJob job);

    /// <summary>The job with <paramref name="from"/>'s value in this setting's field.</summary>
    public abstract TrainingJob Copy(TrainingJob from, TrainingJob to);

    /// <summary>
    /// The job with the value an earlier version stored as <paramref name="text"/>, read as the command line reads
    /// it; fails naming the value when this version refuses it.
    /// </summary>
    public abstract TrainingJob ReadText(string text, TrainingJob job);

    /// <summary>The field's value as the command line spells it; null when it has none.</summary>
    public abstract string? Text(TrainingJob job);
}

internal sealed class TrainSetting<T>(Option<T> option, bool runDefining, Func<TrainingJob, T> get, Func<TrainingJob, T, TrainingJob> set)
    : TrainSetting(option, runDefining)
{
    public override TrainingJob Read(ParseResult parsed, TrainingJob job) => set(job, parsed.GetValue(option)!);

    public override TrainingJob Copy(TrainingJob from, TrainingJob to) => set(to, get(from));

    public override TrainingJob ReadText(string text, TrainingJob job)
    {
        ParseResult parsed = new RootCommand { option }.Parse([Name, text]);
        if (parsed.Errors.Count > 0)
            throw new UserInputException($"stored {Name} {text}: {parsed.Errors[0].Message}");
        return Read(parsed, job);
    }

    public override string? Text(TrainingJob job) => SettingsLine.Text(get(job));
}
