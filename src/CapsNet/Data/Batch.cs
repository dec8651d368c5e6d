using static TorchSharp.torch;

namespace CapsNet.Data;

/// <summary>
/// Images [B,C,side,side] float32 in [0,1] and labels [B] int64 on the CPU; disposed by the consumer. Images of
/// K labels have labels [B,K] and <see cref="Targets"/>.
/// </summary>
internal sealed record Batch(Tensor Images, Tensor Labels) : IDisposable
{
    /// <summary>[B,K,C,side,side] in [0,1]: each label's part of the image alone, what its capsule reconstructs.</summary>
    public Tensor? Targets { get; init; }

    public int Size => (int)Labels.shape[0];

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        Targets?.Dispose();
    }
}
