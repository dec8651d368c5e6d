namespace CapsNet.Data;

/// <summary>
/// MultiMNIST's training pairs as batches: each epoch's pairs drawn afresh (<see cref="MultiMnistPairs.Epoch"/>),
/// rendered on a background thread as they are needed, never held whole. The pairs' own shifts are the
/// augmentation: no further shift is applied.
/// </summary>
internal sealed class MultiMnistLoader(MultiMnist digits, int pairsPerEpoch) : IBatchSource
{
    public int Count => pairsPerEpoch;

    public int BatchCount(int batchSize, bool dropLast) => dropLast ? Count / batchSize : (Count + batchSize - 1) / batchSize;

    /// <summary>Epoch <paramref name="epoch"/>'s pairs in their drawn order; the same pairs whenever the epoch is repeated.</summary>
    public IEnumerable<Batch> Batches(int batchSize, Random? random = null, double shiftFraction = 0, bool dropLast = false, int epoch = 0)
    {
        MultiMnistPairs pairs = MultiMnistPairs.Epoch(digits, epoch, pairsPerEpoch);
        return Prefetched.Batches(BatchCount(batchSize, dropLast), b =>
        {
            int start = b * batchSize, count = Math.Min(batchSize, Count - start);
            MultiMnistBatch made = pairs.Take(start, count);
            return BatchLoader.Floats(made.Images, made.Labels, made.Targets, count, labelsPerImage: 2, channels: 1, made.Side);
        });
    }
}
