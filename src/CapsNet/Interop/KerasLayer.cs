using PureHDF;

namespace CapsNet.Interop;

/// <summary>One layer of a Keras weights file: its weights in the order of its <c>weight_names</c> attribute.</summary>
internal sealed record KerasLayer(string Name, IReadOnlyList<KerasWeight> Weights)
{
    public long[][] Shapes => Weights.Select(w => w.Shape).ToArray();
}

/// <summary>A weight's name as Keras lists it (<c>dense/kernel:0</c>), its shape and its dataset.</summary>
internal sealed record KerasWeight(string Name, long[] Shape, IH5Dataset Dataset)
{
    public float[] Values() => Dataset.Read<float[]>();
}
