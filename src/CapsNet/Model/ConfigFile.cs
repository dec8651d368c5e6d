using System.Text.Json;
using System.Text.Json.Serialization;

namespace CapsNet.Model;

/// <summary>
/// The .json beside a weights file (<c>trained_model.pt</c> -> <c>trained_model.json</c>): the config that
/// rebuilds the network those weights belong to. A weights file without one is an MNIST model, as every
/// weights file was before the tool took other data.
/// </summary>
public static class ConfigFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static string PathFor(string weightsPath) => Path.ChangeExtension(weightsPath, ".json");

    public static void Save(CapsNetConfig config, string weightsPath)
    {
        var stored = new Stored(config.InputChannels, config.InputSide, config.Classes, [.. config.Names], config.Routings, config.Dataset);
        AtomicFile.WriteAllText(PathFor(weightsPath), JsonSerializer.Serialize(stored, Options) + "\n");
    }

    /// <summary>The config stored beside <paramref name="weightsPath"/>, or null when there is no .json.</summary>
    public static CapsNetConfig? Read(string weightsPath)
    {
        string path = PathFor(weightsPath);
        if (!File.Exists(path))
            return null;
        Stored? stored;
        try
        {
            stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), Options);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"Model description '{path}' cannot be read ({e.Message}).", e);
        }
        if (stored is null || stored.InputChannels is null || stored.InputSide is null || stored.Classes is null || stored.Routings is null)
            throw new UserInputException($"Model description '{path}' lacks one of input_channels, input_side, classes, routings.");
        var config = new CapsNetConfig(stored.InputChannels.Value, stored.InputSide.Value, stored.Classes.Value, stored.Routings.Value,
            stored.ClassNames, stored.Dataset ?? "");
        try
        {
            config.EnsureBuildable();
        }
        catch (UserInputException e)
        {
            throw new UserInputException($"Model description '{path}' describes no CapsNet: {e.Message}", e);
        }
        return config;
    }

    private sealed record Stored(
        int? InputChannels, int? InputSide, int? Classes, string[]? ClassNames, int? Routings, string? Dataset)
    {
        [JsonPropertyOrder(-1)]
        public string Format { get; init; } = "capsnet.net model v1";
    }
}
