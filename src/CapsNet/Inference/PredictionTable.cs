using System.Globalization;
using System.Text;

namespace CapsNet.Inference;

/// <summary>Predictions as an aligned text table for the console and as CSV with every class's capsule length.</summary>
internal static class PredictionTable
{
    public static string Format(IReadOnlyList<Prediction> rows, IReadOnlyList<string> names)
    {
        string[] header = ["file", "class", "name", "confidence", "runner-up", "length"];
        var cells = rows.Select(r => new[]
        {
            r.File, r.Class.ToString(CultureInfo.InvariantCulture), names[r.Class], F(r.Lengths[r.Class]),
            Label(r.RunnerUp, names), F(r.Lengths[r.RunnerUp]),
        }).Prepend(header).ToArray();
        int[] widths = Enumerable.Range(0, header.Length).Select(c => cells.Max(row => row[c].Length)).ToArray();
        return string.Join(Environment.NewLine, cells.Select(row =>
            string.Join("  ", row.Select((cell, c) => c is 1 or 3 or 5 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd()));
    }

    public static string Csv(IReadOnlyList<Prediction> rows, IReadOnlyList<string> names)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", new[] { "file", "class", "class_name", "confidence", "runner_up", "runner_up_length" }
            .Concat(names.Select(n => $"length_{n}")).Select(Quote)));
        foreach (Prediction r in rows)
        {
            text.AppendLine(string.Join(",", new[]
            {
                Quote(r.File), r.Class.ToString(CultureInfo.InvariantCulture), Quote(names[r.Class]), F(r.Lengths[r.Class]),
                r.RunnerUp.ToString(CultureInfo.InvariantCulture), F(r.Lengths[r.RunnerUp]),
            }.Concat(r.Lengths.Select(F))));
        }
        return text.ToString();
    }

    /// <summary>A class as its number, followed by its name where that says more (Fashion-MNIST's "6 Shirt", not MNIST's "6 6").</summary>
    private static string Label(int c, IReadOnlyList<string> names)
    {
        string number = c.ToString(CultureInfo.InvariantCulture);
        return names[c] == number ? number : $"{number} {names[c]}";
    }

    private static string F(float value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : $"\"{cell.Replace("\"", "\"\"")}\"";
}
