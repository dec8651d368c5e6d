using static TorchSharp.torch;

namespace CapsNet.Data;

/// <summary>
/// Labelled square images as bytes [N,C,side,side] (0-255) and labels int64 [N], on the CPU. Kept as bytes,
/// a quarter of float32's memory; batches are converted to [0,1] floats as they are cut. Images of K labels
/// (MultiMNIST's pairs) have labels [N,K] and, for each label, the image of that class's part alone: targets
/// [N,K,C,side,side], what the capsule of the class reconstructs.
/// </summary>
internal sealed class ImageSet : IDisposable
{
    public ImageSet(Tensor pixels, Tensor labels, Tensor? targets = null)
    {
        if (pixels.dtype != ScalarType.Byte || pixels.dim() != 4 || pixels.shape[2] != pixels.shape[3])
            throw new ArgumentException($"Pixels must be bytes [N,C,side,side], got {pixels.dtype} [{string.Join(",", pixels.shape)}].");
        if (labels.shape[0] != pixels.shape[0])
            throw new ArgumentException($"{pixels.shape[0]} images but {labels.shape[0]} labels.");
        if ((labels.dim() == 2) != (targets is not null))
            throw new ArgumentException("Images of several labels come with a target image for each, and only they do.");
        Pixels = pixels;
        Labels = labels;
        Targets = targets;
    }

    public Tensor Pixels { get; }

    /// <summary>[N] or, for images of several labels, [N,K].</summary>
    public Tensor Labels { get; }

    /// <summary>[N,K,C,side,side] bytes: each label's part of the image alone; null for images of one label.</summary>
    public Tensor? Targets { get; }

    public int LabelsPerImage => Labels.dim() == 1 ? 1 : (int)Labels.shape[1];

    public int Count => (int)Labels.shape[0];

    public int Channels => (int)Pixels.shape[1];

    public int Side => (int)Pixels.shape[2];

    /// <summary>Images <paramref name="start"/> to start+count-1 as float32 [count,C,side,side] in [0,1]; the caller owns them.</summary>
    public Tensor Images(int start, int count)
    {
        using Tensor slice = Pixels[start..(start + count)];
        return ToUnitFloats(slice);
    }

    /// <summary>Bytes in [0,255] as float32 in [0,1], as every batch and test image carries them; the caller owns them.</summary>
    public static Tensor ToUnitFloats(Tensor bytes) => bytes.to_type(ScalarType.Float32).div_(HeldScalars.ByteMax);

    /// <summary>The labels as an array (row by row for several labels an image), for per-class look-ups.</summary>
    public long[] LabelArray() => Labels.data<long>().ToArray();

    /// <summary>The images that show <paramref name="label"/>, in order.</summary>
    public int[] ImagesOf(long label)
    {
        long[] labels = LabelArray();
        int k = LabelsPerImage;
        return Enumerable.Range(0, Count).Where(i => labels.AsSpan(i * k, k).Contains(label)).ToArray();
    }

    /// <summary>Images <paramref name="start"/> to start+count-1 as a set of their own (copies).</summary>
    public ImageSet Slice(int start, int count)
    {
        // The views in using variables: a temporary could be freed by another thread's collection while cloned.
        using Tensor pixels = Pixels[start..(start + count)], labels = Labels[start..(start + count)];
        using Tensor? targets = Targets?[start..(start + count)];
        return new(pixels.clone(), labels.clone(), targets?.clone());
    }

    public void Dispose()
    {
        Pixels.Dispose();
        Labels.Dispose();
        Targets?.Dispose();
    }
}
