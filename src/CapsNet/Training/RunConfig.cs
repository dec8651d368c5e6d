using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CapsNet.Data;
using CapsNet.Model;

namespace CapsNet.Training;

/// <summary>
/// What a training run computes, as its checkpoint stores it, so that the checkpoint alone continues the run: the
/// network (its shape comes from the data), the training and the data. Device, threads and folders are not part
/// of it: they may change between a run's sittings.
/// </summary>
internal sealed record RunConfig(CapsNetConfig Model, TrainingConfig Training, DataConfig Data)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public JsonObject ToJson() => new()
    {
        ["model"] = ConfigFile.ToJson(Model),
        ["training"] = JsonSerializer.SerializeToNode(Training, Options),
        ["data"] = JsonSerializer.SerializeToNode(Data, Options),
    };

    /// <summary>The run a JSON object describes; <paramref name="where"/> starts every message about it.</summary>
    public static RunConfig FromJson(JsonObject json, string where)
    {
        CapsNetConfig model = ConfigFile.FromJson(json["model"] as JsonObject, where);
        try
        {
            TrainingConfig training = json["training"].Deserialize<TrainingConfig>(Options)
                ?? throw new JsonException("no training settings");
            DataConfig data = json["data"].Deserialize<DataConfig>(Options) ?? throw new JsonException("no data settings");
            return new RunConfig(model, training.Validate(), data.Validate());
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{where} cannot be read ({e.Message}).", e);
        }
        catch (UserInputException e)
        {
            throw new UserInputException($"{where} stores a setting out of bounds: {e.Message}", e);
        }
    }
}
