namespace CapsNet.Training;

/// <summary>
/// How checkpoints before <see cref="Checkpoint.Format"/> recorded a run: <c>{"NextEpoch":..,"Epochs":..,"Settings":
/// {"--routings":"3",..}}</c>, the settings as the command line spelled them (none in the first versions).
/// </summary>
internal sealed record LegacyRun(int? Epochs, IReadOnlyDictionary<string, string>? Settings)
{
    /// <summary>The stored value of <paramref name="flag"/> as the command line spelled it, if any.</summary>
    public string? ValueOf(string flag) => Settings?.GetValueOrDefault(flag);
}
