namespace CapsNet.Cli;

/// <summary>A class given on the command line by number or by name.</summary>
public static class ClassChoice
{
    /// <summary>The reference's --digit default.</summary>
    public const int Default = 5;

    /// <summary>The class <paramref name="given"/> names; when none is given, 5 or the last class if there are fewer.</summary>
    public static int Resolve(string? given, IReadOnlyList<string> names)
    {
        if (given is null)
            return Math.Min(Default, names.Count - 1);
        if (int.TryParse(given, out int number) && number >= 0 && number < names.Count)
            return number;
        int named = names.ToList().FindIndex(name => string.Equals(name, given, StringComparison.OrdinalIgnoreCase));
        if (named >= 0)
            return named;
        string choices = names.Count <= 20 ? $": {string.Join(", ", names)}" : "";
        throw new UserInputException($"--digit {given} is not a class of this model: give a number from 0 to {names.Count - 1} or a class name{choices}.");
    }
}
