using CapsNet.Data;
using CapsNet.Interop;
using CapsNet.Model;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Cli;

/// <summary>Builds the seeded network for a config on its device, prints its summary and loads the weights to start from.</summary>
public static class ModelFactory
{
    public static CapsuleNetwork Build(CapsNetConfig config, string? weights, int seed, Precision precision, Device device, IAnsiConsole console,
        bool summary = true)
    {
        manual_seed(seed);
        var model = new CapsuleNetwork(config, new Generator((ulong)seed)) { Precision = precision };
        try
        {
            model.to(device);
            if (summary)
                console.Line(ModelSummary.Format(model));
            console.Line($"Device: {device.type.ToString().ToLowerInvariant()}, {get_num_threads()} threads, {precision.ToString().ToLowerInvariant()}.");
            if (weights is not null)
            {
                GivenWeights.Load(model, weights);
                console.Line($"Loaded weights from '{weights}'.");
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The network that fits <paramref name="data"/>: its image shape and classes.</summary>
    public static CapsNetConfig ConfigFor(DataSet data, int routings) =>
        new(data.Channels, data.Side, data.ClassNames.Count, routings, data.ClassNames, data.Name);

    /// <summary>Fails unless weights made for <paramref name="stored"/> fit a network for <paramref name="wanted"/>.</summary>
    public static void EnsureSameShape(CapsNetConfig stored, CapsNetConfig wanted, string weights, string data)
    {
        if (stored.InputChannels != wanted.InputChannels || stored.InputSide != wanted.InputSide || stored.Classes != wanted.Classes)
            throw new UserInputException($"Weights '{weights}' are for {Shape(stored)}; the data set '{data}' has {Shape(wanted)}.");
    }

    public static string Shape(CapsNetConfig c) => $"{c.InputChannels}x{c.InputSide}x{c.InputSide} images and {c.Classes} classes";
}
