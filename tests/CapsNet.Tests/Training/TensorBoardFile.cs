using Tensorboard;

namespace CapsNet.Tests.Training;

/// <summary>
/// A TensorBoard events file read back with the protobuf classes TorchSharp writes it with: TFRecords of a
/// little-endian length, its CRC, the serialised <see cref="Event"/> and the event's CRC.
/// </summary>
internal static class TensorBoardFile
{
    public static Event[] Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        for (int at = 0; at < bytes.Length;)
        {
            int length = (int)BitConverter.ToInt64(bytes, at);
            events.Add(Event.Parser.ParseFrom(bytes, at + 12, length));
            at += 12 + length + 4;
        }
        return events.ToArray();
    }

    /// <summary>Each summary value of the file as its tag and step, with its scalar or null for a histogram.</summary>
    public static (string Tag, long Step, float? Scalar)[] Values(string path) =>
        Read(path).Where(e => e.Summary is not null)
            .SelectMany(e => e.Summary.Value.Select(v => (v.Tag, e.Step, v.Histo is null ? v.SimpleValue : (float?)null)))
            .ToArray();
}
