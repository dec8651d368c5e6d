using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace CapsNet.Data;

/// <summary>
/// Cuts a data set into batches, optionally shuffled and shifted, and builds them on a background thread a
/// couple of batches ahead so the training step never waits for data.
/// </summary>
public sealed class BatchLoader
{
    private const int Prefetch = 2;

    private readonly float[] _pixels;
    private readonly long[] _labels;
    private readonly int _imageSize;
    private readonly int _side;

    public BatchLoader(MnistData data)
    {
        _pixels = data.Images.data<float>().ToArray();
        _labels = data.Labels.data<long>().ToArray();
        _side = (int)data.Images.shape[^1];
        _imageSize = _pixels.Length / _labels.Length;
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

    private Batch Build(ReadOnlySpan<int> indices, Random? random, double shiftFraction)
    {
        var pixels = new float[indices.Length * _imageSize];
        var labels = new long[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            ReadOnlySpan<float> source = _pixels.AsSpan(indices[k] * _imageSize, _imageSize);
            Span<float> destination = pixels.AsSpan(k * _imageSize, _imageSize);
            if (random is not null && shiftFraction > 0)
            {
                int dx = ShiftAugmentation.Draw(random, shiftFraction, _side);
                int dy = ShiftAugmentation.Draw(random, shiftFraction, _side);
                ShiftAugmentation.Shift(source, destination, _side, dx, dy);
            }
            else
            {
                source.CopyTo(destination);
            }
            labels[k] = _labels[indices[k]];
        }
        return new Batch(tensor(pixels, [indices.Length, 1, _side, _side]), tensor(labels));
    }
}
