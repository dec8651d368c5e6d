using System.Globalization;
using System.Text;

namespace CapsNet.Inference;

/// <summary>
/// Predictions as an aligned text table for the console and as CSV with every class's capsule length. For a model of
/// K labels an image (MultiMNIST's pairs), the K classes it names and their lengths.
/// </summary>
internal static class PredictionTable
{
    public static string Format(IReadOnlyList<Prediction> rows, IReadOnlyList<string> names, int labelsPerImage = 1)
    {
        int k = labelsPerImage;
        string[] header = k == 1
            ? ["file", "class", "name", "confidence", "runner-up", "length"]
            : ["file", "classes", "names", "lengths", "runner-up", "length"];
        var cells = rows.Select(r =>
        {
            int[] named = r.Classes(k);
            int runnerUp = r.RunnerUp(k);
            return new[]
            {
                r.File, string.Join(" ", named.Select(c => c.ToString(CultureInfo.InvariantCulture))), string.Join(" ",
                    named.Select(c => names[c])),
                string.Join(" ", named.Select(c => F(r.Lengths[c]))), Label(runnerUp, names), F(r.Lengths[runnerUp]),
            };
        }).Prepend(header).ToArray();
        int[] widths = Enumerable.Range(0, header.Length).Select(c => cells.Max(row => row[c].Length)).ToArray();
        return string.Join(Environment.NewLine, cells.Select(row =>
            string.Join("  ", row.Select((cell, c) => c is 1 or 3 or 5 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd()));
    }

    public static string Csv(IReadOnlyList<Prediction> rows, IReadOnlyList<string> names, int labelsPerImage = 1)
    {
        int k = labelsPerImage;
        IEnumerable<string> named = Enumerable.Range(1, k).SelectMany(n => n == 1
            ? new[] { "class", "class_name", "confidence" }
            : [$"class{n}", $"class{n}_name", $"confidence{n}"]);
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", named.Prepend("file").Concat(["runner_up", "runner_up_length"])
            .Concat(names.Select(n => $"length_{n}")).Select(Quote)));
        foreach (Prediction r in rows)
        {
            int runnerUp = r.RunnerUp(k);
            IEnumerable<string> classes = r.Classes(k).SelectMany(c => new[] { c.ToString(CultureInfo.InvariantCulture), Quote(names[c]),
                F(r.Lengths[c]) });
            text.AppendLine(string.Join(",", classes.Prepend(Quote(r.File))
                .Concat([runnerUp.ToString(CultureInfo.InvariantCulture), F(r.Lengths[runnerUp])])
                .Concat(r.Lengths.Select(F))));
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
