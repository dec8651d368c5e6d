using CapsNet.Model;
using TorchSharp;

namespace CapsNet.Interop;

/// <summary>
/// Weights a user names (-w): ours, a state dict with its .json (<see cref="WeightsFile"/>), or the reference's
/// Keras weights (<see cref="KerasWeights"/>), told apart by their first bytes.
/// </summary>
public static class GivenWeights
{
    /// <summary>
    /// The config of the network the weights belong to: their .json; for Keras weights without one, what their
    /// shapes say; else MNIST's. <paramref name="routings"/> stands where no .json records them.
    /// </summary>
    public static CapsNetConfig ReadConfig(string path, int routings = 3)
    {
        if (!KerasWeights.IsHdf5(path) || File.Exists(ConfigFile.PathFor(path)))
            return WeightsFile.ReadConfig(path, routings);
        using ImportedWeights keras = KerasWeights.Read(path);
        return keras.Config with { Routings = routings };
    }

    /// <summary>Loads the weights into the module, which must have exactly their tensors and shapes.</summary>
    public static void Load(torch.nn.Module module, string path)
    {
        if (!KerasWeights.IsHdf5(path))
        {
            WeightsFile.Load(module, path);
            return;
        }
        using ImportedWeights keras = KerasWeights.Read(path);
        WeightsFile.Assign(module, keras.StateDict, path);
    }
}
