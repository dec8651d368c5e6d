using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Interop;

/// <summary>Weights read from another tool's file: the network shape they fit and our state dict, which it owns.</summary>
internal sealed class ImportedWeights : IDisposable
{
    public ImportedWeights(CapsNetConfig config, Dictionary<string, Tensor> stateDict)
    {
        Config = config;
        StateDict = stateDict;
    }

    /// <summary>Input and class shape, with the default routing count: the file does not hold it.</summary>
    public CapsNetConfig Config { get; }

    /// <summary>Float32 CPU tensors named as <see cref="CapsuleNetwork"/>'s state dict.</summary>
    public Dictionary<string, Tensor> StateDict { get; }

    public void Dispose()
    {
        foreach (Tensor tensor in StateDict.Values)
            tensor.Dispose();
    }
}
