namespace CapsNet.Cli;

/// <summary>A class given on the command line by number or by name.</summary>
public static class ClassChoice
{
    public static int Resolve(string given, IReadOnlyList<string> names)
    {
        if (int.TryParse(given, out int number) && number >= 0 && number < names.Count)
            return number;
        int named = names.ToList().FindIndex(name => string.Equals(name, given, StringComparison.OrdinalIgnoreCase));
        if (named >= 0)
            return named;
        string choices = names.Count <= 20 ? $": {string.Join(", ", names)}" : "";
        throw new UserInputException($"--digit {given} is not a class of this model: give a number from 0 to {names.Count - 1} or a class name{choices}.");
    }
}
