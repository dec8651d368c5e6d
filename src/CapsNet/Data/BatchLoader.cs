using static TorchSharp.torch;

namespace CapsNet.Data;

/// <summary>
/// Cuts a set of images held in memory into batches, optionally shuffled and shifted (images of one label), built
/// ahead on a background thread (<see cref="Prefetched"/>).
/// </summary>
internal sealed class BatchLoader : IBatchSource
{
    private readonly byte[] _pixels;
    private readonly long[] _labels;
    private readonly byte[]? _targets;
    private readonly int _labelsPerImage;
    private readonly int _channels;
    private readonly int _side;

    public BatchLoader(ImageSet data)
    {
        _pixels = data.Pixels.data<byte>().ToArray();
        _labels = data.LabelArray();
        _targets = data.Targets?.data<byte>().ToArray();
        _labelsPerImage = data.LabelsPerImage;
        _channels = data.Channels;
        _side = data.Side;
        Count = data.Count;
    }

    public int Count { get; }

    public int BatchCount(int batchSize, bool dropLast) => dropLast ? Count / batchSize : (Count + batchSize - 1) / batchSize;

    /// <summary>
    /// One pass over the data. With <paramref name="random"/>, the order is shuffled and, with a non-zero
    /// <paramref name="shiftFraction"/>, each image of one label is shifted; without it, batches come in order,
    /// unchanged. The images are the same every epoch.
    /// </summary>
    public IEnumerable<Batch> Batches(int batchSize, Random? random = null, double shiftFraction = 0, bool dropLast = false, int epoch = 0)
    {
        int[] order = Enumerable.Range(0, Count).ToArray();
        random?.Shuffle(order);
        return Prefetched.Batches(BatchCount(batchSize, dropLast), b =>
        {
            int start = b * batchSize;
            return Build(order.AsSpan(start, Math.Min(batchSize, Count - start)), random, shiftFraction);
        });
    }

    /// <summary>The images of <paramref name="indices"/> as float32 [B,C,side,side] in [0,1], each shifted as a whole.</summary>
    private Batch Build(ReadOnlySpan<int> indices, Random? random, double shiftFraction)
    {
        int area = _side * _side, imageSize = _channels * area, k = _labelsPerImage;
        var pixels = new byte[indices.Length * imageSize];
        var labels = new long[indices.Length * k];
        var targets = _targets is null ? null : new byte[indices.Length * k * imageSize];
        for (int b = 0; b < indices.Length; b++)
        {
            ReadOnlySpan<byte> source = _pixels.AsSpan(indices[b] * imageSize, imageSize);
            Span<byte> destination = pixels.AsSpan(b * imageSize, imageSize);
            if (random is not null && shiftFraction > 0 && _targets is null)
            {
                int dx = ShiftAugmentation.Draw(random, shiftFraction, _side);
                int dy = ShiftAugmentation.Draw(random, shiftFraction, _side);
                for (int c = 0; c < _channels; c++)
                    ShiftAugmentation.Shift(source.Slice(c * area, area), destination.Slice(c * area, area), _side, dx, dy);
            }
            else
            {
                source.CopyTo(destination);
            }
            _labels.AsSpan(indices[b] * k, k).CopyTo(labels.AsSpan(b * k, k));
            _targets?.AsSpan(indices[b] * k * imageSize, k * imageSize).CopyTo(targets.AsSpan(b * k * imageSize));
        }
        return Floats(pixels, labels, targets, indices.Length, k, _channels, _side);
    }

    /// <summary>A batch of byte images (and targets) as floats in [0,1]; labels [B] for one label an image, else [B,K].</summary>
    public static Batch Floats(byte[] pixels, long[] labels, byte[]? targets, int count, int labelsPerImage, int channels, int side)
    {
        using Tensor bytes = tensor(pixels, [count, channels, side, side], ScalarType.Byte);
        Tensor labelTensor = labelsPerImage == 1 ? tensor(labels) : tensor(labels, [count, labelsPerImage]);
        Tensor? targetTensor = null;
        if (targets is not null)
        {
            using Tensor targetBytes = tensor(targets, [count, labelsPerImage, channels, side, side], ScalarType.Byte);
            targetTensor = ImageSet.ToUnitFloats(targetBytes);
        }
        return new Batch(ImageSet.ToUnitFloats(bytes), labelTensor) { Targets = targetTensor };
    }
}
