using System.Globalization;

namespace CapsNet;

/// <summary>The phrases of a setting's bounds ("must be at least 1"), shared by the configs and the command line.</summary>
internal static class Bounds
{
    public static string? AtLeast(int value, int minimum) => value >= minimum ? null : $"must be at least {minimum}";

    public static string? AtMost(int value, int maximum) => value <= maximum ? null : $"must be at most {maximum}";

    public static string? Positive(double value) => double.IsFinite(value) && value > 0 ? null : "must be a number greater than 0";

    /// <summary>Fails with "NAME must be ..., got VALUE." when <paramref name="problem"/> finds one.</summary>
    public static void Ensure<T>(string name, T value, Func<T, string?> problem)
    {
        if (problem(value) is string rule)
            throw new UserInputException($"{name} {rule}, got {Text(value)}.");
    }

    public static string Text<T>(T value) => value is IFormattable number ? number.ToString(null,
        CultureInfo.InvariantCulture) : $"{value}";
}
