using static TorchSharp.torch;

namespace CapsNet.Data;

/// <summary>Images [B,C,side,side] float32 in [0,1] and labels [B] int64 on the CPU; disposed by the consumer.</summary>
internal sealed record Batch(Tensor Images, Tensor Labels) : IDisposable
{
    public int Size => (int)Labels.shape[0];

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
