using System.Text;

namespace CapsNet.Training;

/// <summary>log.csv: the header of the reference plus lr, one row per finished epoch, rewritten whole each time.</summary>
internal sealed class TrainingLog
{
    private readonly List<EpochMetrics> _rows = [];
    private readonly FaultPoints _faults;

    public TrainingLog(string path, FaultPoints? faults = null)
    {
        Path = path;
        _faults = faults ?? FaultPoints.None;
    }

    public string Path { get; }

    public IReadOnlyList<EpochMetrics> Rows => _rows;

    /// <summary>
    /// Reads the rows of the epochs before <paramref name="nextEpoch"/> from an existing log, for a resumed run;
    /// true when the file held rows of later epochs too.
    /// </summary>
    public bool LoadEpochsBefore(int nextEpoch)
    {
        if (!File.Exists(Path))
            return false;
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Cannot resume: '{Path}' cannot be read ({e.Message}).", e);
        }
        if (lines.Length == 0 || lines[0] != EpochMetrics.CsvHeader)
            throw new UserInputException($"Cannot resume: '{Path}' does not start with the log.csv header.");
        EpochMetrics[] rows;
        try
        {
            rows = lines.Skip(1).Where(line => line.Length > 0).Select(EpochMetrics.FromCsv).ToArray();
        }
        catch (FormatException e)
        {
            throw new UserInputException($"Cannot resume: '{Path}' has a malformed row ({e.Message}).", e);
        }
        _rows.AddRange(rows.Where(row => row.Epoch < nextEpoch));
        return _rows.Count < rows.Length;
    }

    public void Append(EpochMetrics row)
    {
        _rows.Add(row);
        Save();
    }

    public void Save()
    {
        var text = new StringBuilder().AppendLine(EpochMetrics.CsvHeader);
        foreach (EpochMetrics r in _rows)
            text.AppendLine(r.ToCsv());
        AtomicFile.WriteAllText(Path, text.ToString(), _faults);
    }
}
