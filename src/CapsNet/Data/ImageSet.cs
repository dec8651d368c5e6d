using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Data;

/// <summary>
/// Labelled square images as bytes [N,C,side,side] (0-255) and labels int64 [N], on the CPU. Kept as bytes,
/// a quarter of float32's memory; batches are converted to [0,1] floats as they are cut.
/// </summary>
internal sealed class ImageSet : IDisposable
{
    public ImageSet(Tensor pixels, Tensor labels)
    {
        if (pixels.dtype != ScalarType.Byte || pixels.dim() != 4 || pixels.shape[2] != pixels.shape[3])
            throw new ArgumentException($"Pixels must be bytes [N,C,side,side], got {pixels.dtype} [{string.Join(",", pixels.shape)}].");
        if (labels.shape[0] != pixels.shape[0])
            throw new ArgumentException($"{pixels.shape[0]} images but {labels.shape[0]} labels.");
        Pixels = pixels;
        Labels = labels;
    }

    public Tensor Pixels { get; }

    public Tensor Labels { get; }

    public int Count => (int)Labels.shape[0];

    public int Channels => (int)Pixels.shape[1];

    public int Side => (int)Pixels.shape[2];

    /// <summary>Images <paramref name="start"/> to start+count-1 as float32 [count,C,side,side] in [0,1]; the caller owns them.</summary>
    public Tensor Images(int start, int count)
    {
        using Tensor slice = Pixels[start..(start + count)];
        return slice.to_type(ScalarType.Float32).div_(255f);
    }

    /// <summary>The labels as an array, for per-class look-ups.</summary>
    public long[] LabelArray() => Labels.data<long>().ToArray();

    /// <summary>Images <paramref name="start"/> to start+count-1 as a set of their own (copies).</summary>
    public ImageSet Slice(int start, int count) =>
        new(Pixels[start..(start + count)].clone(), Labels[start..(start + count)].clone());

    public void Dispose()
    {
        Pixels.Dispose();
        Labels.Dispose();
    }
}
