using CapsNet.Model;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

/// <summary>Weights files that are a real model's state dict with a deliberate change, for the load-error tests.</summary>
internal static class EditedWeights
{
    /// <summary>Writes the state dict of a seed-1 MNIST model, changed by <paramref name="edit"/>, to <paramref name="path"/>.</summary>
    public static string Write(string path, Action<Dictionary<string, Tensor>> edit)
    {
        using var model = new CapsuleNetwork(CapsNetConfig.Mnist, new Generator(1));
        using var scope = NewDisposeScope();
        var state = model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
        edit(state);
        PyTorchPickler.PickleStateDict(path, state);
        return path;
    }
}
