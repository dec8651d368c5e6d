using System.Text.Json;
using System.Text.Json.Nodes;

namespace CapsNet.Model;

/// <summary>
/// The .json beside a weights file (<c>trained_model.pt</c> -> <c>trained_model.json</c>): the
/// <see cref="CapsNetConfig"/> that rebuilds the network those weights belong to, its property names in snake case.
/// A weights file without one is an MNIST model, as every weights file was before the tool took other data;
/// a file of format v1 (no layer sizes) has the default sizes, which were the only ones then.
/// </summary>
internal static class ConfigFile
{
    public const string Format = "capsnet.net model v2";
    private const string FormatV1 = "capsnet.net model v1";

    private static readonly string[] Required = ["input_channels", "input_side", "classes", "routings"];

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        IgnoreReadOnlyProperties = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static string PathFor(string weightsPath) => Path.ChangeExtension(weightsPath, ".json");

    public static void Save(CapsNetConfig config, string weightsPath, FaultPoints? faults = null) =>
        AtomicFile.WriteAllText(PathFor(weightsPath), ToJson(config).ToJsonString(Options) + "\n", faults);

    /// <summary>The config stored beside <paramref name="weightsPath"/>, or null when there is no .json.</summary>
    public static CapsNetConfig? Read(string weightsPath)
    {
        string path = PathFor(weightsPath);
        if (!File.Exists(path))
            return null;
        string where = $"Model description '{path}'";
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{where} cannot be read ({e.Message}).", e);
        }
        return FromJson(json as JsonObject, where);
    }

    /// <summary>The config as a JSON object, its format first.</summary>
    public static JsonObject ToJson(CapsNetConfig config)
    {
        var json = new JsonObject { ["format"] = Format };
        foreach (var (name, value) in JsonSerializer.SerializeToNode(config, Options)!.AsObject())
            json[name] = value?.DeepClone();
        return json;
    }

    /// <summary>The config a JSON object describes; <paramref name="where"/> starts every message about it.</summary>
    public static CapsNetConfig FromJson(JsonObject? json, string where)
    {
        if (json is null || Required.Any(name => json[name] is null))
            throw new UserInputException($"{where} lacks one of {string.Join(", ", Required)}.");
        string? format = json["format"]?.GetValueKind() == JsonValueKind.String ? (string?)json["format"] : null;
        if (json["format"] is not null && format is not (Format or FormatV1))
            throw new UserInputException($"{where} has format {json["format"]!.ToJsonString()}, which this version does not read (it " +
                $"reads '{Format}' and '{FormatV1}').");
        CapsNetConfig config;
        try
        {
            JsonObject fields = json.DeepClone().AsObject();
            fields.Remove("format");
            config = fields.Deserialize<CapsNetConfig>(Options)!;
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{where} cannot be read ({e.Message}).", e);
        }
        try
        {
            // A file without a data set name predates it; "" says that no known data set is meant.
            return (json["dataset"] is null ? config with { Dataset = "" } : config).Validate();
        }
        catch (UserInputException e)
        {
            throw new UserInputException($"{where} describes no CapsNet: {e.Message}", e);
        }
    }
}
