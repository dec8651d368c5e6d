namespace CapsNet.Training;

/// <summary>A class given by number or by name (the class whose capsule test mode manipulates).</summary>
internal static class ClassChoice
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
        throw new UnknownClassException(given, names);
    }
}
