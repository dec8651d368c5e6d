namespace CapsNet.Data;

/// <summary>
/// A sequence of MultiMNIST pairs, the fixed test pairs or one training epoch's, of which nothing is stored: pair k
/// is computed from (seed, epoch, k) when asked for, so a batch producer can take any range, in any order, on its
/// own thread, and the same range always holds the same pairs.
/// </summary>
public sealed class MultiMnistPairs
{
    private readonly MultiMnist _source;
    private readonly PairStream _stream;
    private readonly int _epoch;
    private readonly int[]? _order;

    internal MultiMnistPairs(MultiMnist source, PairStream stream, int epoch, int[]? order, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _source = source;
        _stream = stream;
        _epoch = epoch;
        _order = order;
        Count = count;
    }

    public int Count { get; }

    /// <summary>The canvas side of every image.</summary>
    public int Side => _source.Side;

    /// <summary>Pair <paramref name="k"/>, drawn on its own from (seed, epoch, k).</summary>
    public MultiMnistPair this[int k]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(k);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, Count);
            int first = _order is null ? k % _source.Digits : _order[k % _order.Length];
            return _source.Draw(first, new PairRandom(_source.Seed, _stream, _epoch, k));
        }
    }

    /// <summary>Pairs <paramref name="start"/> to start+count-1, rendered as bytes.</summary>
    public MultiMnistBatch Take(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        int area = Side * Side;
        var images = new byte[count * area];
        var targets = new byte[count * 2 * area];
        var labels = new long[count * 2];
        for (int i = 0; i < count; i++)
        {
            MultiMnistPair pair = this[start + i];
            _source.Render(pair, images.AsSpan(i * area, area), targets.AsSpan(2 * i * area, area), targets.AsSpan((2 * i + 1) * area, area));
            labels[2 * i] = pair.FirstLabel;
            labels[2 * i + 1] = pair.SecondLabel;
        }
        return new MultiMnistBatch(count, Side, images, targets, labels);
    }

    /// <summary>
    /// The mean over the pairs of how much the two digits' bounding boxes overlap (<see cref="BoundingBox.Overlap"/>:
    /// shared area over the smaller box), each box that of the digit's non-zero pixels as placed on the canvas.
    /// </summary>
    public double MeanOverlap()
    {
        int area = Side * Side;
        Span<byte> image = new byte[area], first = new byte[area], second = new byte[area];
        double total = 0;
        for (int k = 0; k < Count; k++)
        {
            _source.Render(this[k], image, first, second);
            total += BoundingBox.Of(first, Side).Overlap(BoundingBox.Of(second, Side));
        }
        return total / Count;
    }
}
