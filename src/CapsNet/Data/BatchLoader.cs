using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Data;

/// <summary>
/// Cuts a data set into batches, optionally shuffled and shifted, and builds them on a background thread a
/// couple of batches ahead so the training step never waits for data.
/// </summary>
internal sealed class BatchLoader
{
    private const int Prefetch = 2;

    private readonly byte[] _pixels;
    private readonly long[] _labels;
    private readonly int _channels;
    private readonly int _side;

    public BatchLoader(ImageSet data)
    {
        _pixels = data.Pixels.data<byte>().ToArray();
        _labels = data.LabelArray();
        _channels = data.Channels;
        _side = data.Side;
    }

    public int Count => _labels.Length;

    /// <summary>Batches per pass: whole batches only when training (like Keras' steps_per_epoch), all samples otherwise.</summary>
    public int BatchCount(int batchSize, bool dropLast) => dropLast ? Count / batchSize : (Count + batchSize - 1) / batchSize;

    /// <summary>
    /// One pass over the data. With <paramref name="random"/>, the order is shuffled and, with a non-zero
    /// <paramref name="shiftFraction"/>, each image is shifted; without it, batches come in order, unchanged.
    /// </summary>
    public IEnumerable<Batch> Batches(int batchSize, Random? random = null, double shiftFraction = 0, bool dropLast = false)
    {
        int[] order = Enumerable.Range(0, Count).ToArray();
        random?.Shuffle(order);
        int batches = BatchCount(batchSize, dropLast);

        using var queue = new BlockingCollection<Batch>(Prefetch);
        using var stop = new CancellationTokenSource();
        var producer = Task.Run(() =>
        {
            try
            {
                for (int b = 0; b < batches && !stop.IsCancellationRequested; b++)
                {
                    int start = b * batchSize;
                    Batch batch = Build(order.AsSpan(start, Math.Min(batchSize, Count - start)), random, shiftFraction);
                    try
                    {
                        queue.Add(batch, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        batch.Dispose();
                        return;
                    }
                }
            }
            finally
            {
                queue.CompleteAdding();
            }
        });

        try
        {
            foreach (Batch batch in queue.GetConsumingEnumerable())
                yield return batch;
            producer.GetAwaiter().GetResult();  // a failure while building batches surfaces here, not as a short epoch
        }
        finally
        {
            stop.Cancel();
            foreach (Batch left in queue.GetConsumingEnumerable())
                left.Dispose();
        }
    }

    /// <summary>The images of <paramref name="indices"/> as float32 [B,C,side,side] in [0,1], each shifted as a whole.</summary>
    private Batch Build(ReadOnlySpan<int> indices, Random? random, double shiftFraction)
    {
        int area = _side * _side, imageSize = _channels * area;
        var pixels = new byte[indices.Length * imageSize];
        var labels = new long[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            ReadOnlySpan<byte> source = _pixels.AsSpan(indices[k] * imageSize, imageSize);
            Span<byte> destination = pixels.AsSpan(k * imageSize, imageSize);
            if (random is not null && shiftFraction > 0)
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
            labels[k] = _labels[indices[k]];
        }
        using Tensor bytes = tensor(pixels, [indices.Length, _channels, _side, _side], ScalarType.Byte);
        return new Batch(bytes.to_type(ScalarType.Float32).div_(255f), tensor(labels));
    }
}
