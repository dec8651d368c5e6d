using CapsNet.Model;

namespace CapsNet.Interop;

/// <summary>
/// Weights a user names (-w), opened once: ours, a state dict with its .json (<see cref="WeightsFile"/>), or the
/// reference's Keras weights (<see cref="KerasWeights"/>), told apart by their first bytes. <see cref="Config"/>
/// is known before any tensor is read, so that what it implies can be checked first.
/// </summary>
internal sealed class GivenWeights : IDisposable
{
    private readonly KerasFile? _keras;

    private GivenWeights(string source, CapsNetConfig config, KerasFile? keras)
    {
        Source = source;
        Config = config;
        _keras = keras;
    }

    public string Source { get; }

    /// <summary>
    /// The network the weights belong to: their .json; for Keras weights without one, what their shapes say; else
    /// MNIST's. The routing count given to <see cref="Open"/> stands where no .json records it.
    /// </summary>
    public CapsNetConfig Config { get; }

    public static GivenWeights Open(string path, int routings = CapsNetConfig.DefaultRoutings)
    {
        if (Directory.Exists(path))
            throw new UserInputException($"Weights file '{path}' is a folder, not a file.");
        if (!KerasWeights.IsHdf5(path))
            return new GivenWeights(path, WeightsFile.ReadConfig(path, routings), keras: null);
        var (file, shape) = KerasWeights.Open(path);
        try
        {
            return new GivenWeights(path, ConfigFile.Read(path) ?? shape with { Routings = routings }, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Loads the weights into the network, which must have exactly their tensors and shapes.</summary>
    public void LoadInto(CapsuleNetwork model)
    {
        if (_keras is null)
        {
            WeightsFile.Load(model, Source);
            return;
        }
        using var imported = new ImportedWeights(Config, KerasWeights.StateDict(_keras, Config, Source));
        WeightsFile.Assign(model, imported.StateDict, Source);
    }

    public void Dispose() => _keras?.Dispose();
}
