using System.Text;

namespace CapsNet.Model;

/// <summary>A table of layers, output shapes and parameter counts, like Keras' <c>model.summary()</c>.</summary>
internal static class ModelSummary
{
    public static string Format(CapsuleNetwork model)
    {
        CapsNetConfig c = model.Config;
        int grid = c.PrimaryGridSide;
        int capsules = c.PrimaryCapsuleCount;
        var rows = new (string Layer, string Shape, long Parameters)[]
        {
            ("input (Input)", Shape(c.InputChannels, c.InputSide, c.InputSide), 0),
            ("conv1 (Conv2d, ReLU)", Shape(c.Conv1Channels, c.Conv1Side, c.Conv1Side), Count(model, "conv1.")),
            ("primary_caps (Conv2d)", Shape(c.PrimaryChannels, grid, grid), Count(model, "primary_caps.")),
            ("primary_caps (Reshape, Squash)", Shape(capsules, c.PrimaryCapsuleDim), 0),
            ($"digit_caps (Routing x{c.Routings})", Shape(c.Classes, c.DigitCapsuleDim), Count(model, "digit_caps.")),
            ("capsnet (Length)", Shape(c.Classes), 0),
            ("mask (Mask)", Shape(c.MaskedLength), 0),
            ("decoder (Dense x3)", Shape(c.InputChannels, c.InputSide, c.InputSide), Count(model, "decoder.")),
        };

        const int layerWidth = 34, shapeWidth = 22;
        string rule = new('_', layerWidth + shapeWidth + 12);
        var text = new StringBuilder();
        text.AppendLine(rule);
        text.AppendLine($"{"Layer (type)",-layerWidth}{"Output Shape",-shapeWidth}{"Param #",12}");
        text.AppendLine(new string('=', rule.Length));
        foreach (var (layer, shape, parameters) in rows)
            text.AppendLine($"{layer,-layerWidth}{shape,-shapeWidth}{parameters,12:N0}");
        text.AppendLine(new string('=', rule.Length));
        long total = model.parameters().Sum(p => p.numel());
        long trainable = model.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
        text.AppendLine($"Total params: {total:N0}");
        text.AppendLine($"Trainable params: {trainable:N0}");
        text.AppendLine($"Non-trainable params: {total - trainable:N0}");
        text.Append(rule);
        return text.ToString();
    }

    private static string Shape(params int[] dims) => $"(None, {string.Join(", ", dims)})";

    private static long Count(CapsuleNetwork model, string prefix) =>
        model.named_parameters().Where(p => p.name.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.parameter.numel());
}
