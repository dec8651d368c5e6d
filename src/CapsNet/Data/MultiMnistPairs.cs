using TorchSharp;

namespace CapsNet.Data;

/// <summary>
/// A sequence of MultiMNIST pairs, the fixed test pairs or one training epoch's, of which nothing is stored: pair k
/// is computed from (seed, epoch, k) when asked for, so a batch producer can take any range, in any order, on its
/// own thread, and the same range always holds the same pairs.
/// </summary>
internal sealed class MultiMnistPairs
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

    /// <summary>
    /// The fixed test pairs: pair k is digit k (k mod the number of digits, so each digit is first equally often
    /// when <paramref name="count"/> is a multiple of it) with a partner of another class and shifts drawn from (seed, k).
    /// </summary>
    public static MultiMnistPairs Test(MultiMnist digits, int count = MultiMnist.DefaultTestPairs) =>
        new(digits, PairStream.TestPairs, epoch: 0, order: null, count);

    /// <summary>
    /// The pairs of training epoch <paramref name="epoch"/>: the digits in an order shuffled from (seed, epoch), pair k
    /// being the k-th of that order (cyclically) with a partner and shifts drawn from (seed, epoch, k). Each call
    /// computes the order (one int per digit) and nothing else; pairs are made when taken.
    /// </summary>
    public static MultiMnistPairs Epoch(MultiMnist digits, int epoch, int count = MultiMnist.DefaultEpochPairs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        int[] order = Enumerable.Range(0, digits.Digits).ToArray();
        var random = new PairRandom(digits.Seed, PairStream.EpochOrder, epoch, 0);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Below(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return new MultiMnistPairs(digits, PairStream.EpochPairs, epoch, order, count);
    }

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
            _source.Render(pair, images.AsSpan(i * area, area), targets.AsSpan(2 * i * area, area), targets.AsSpan((2 * i + 1) * area,
                area));
            labels[2 * i] = pair.FirstLabel;
            labels[2 * i + 1] = pair.SecondLabel;
        }
        return new MultiMnistBatch(count, Side, images, targets, labels);
    }

    /// <summary>Every pair rendered into a set of images of two labels, with each digit's own image as its target.</summary>
    public ImageSet ToImageSet()
    {
        MultiMnistBatch all = Take(0, Count);
        return new ImageSet(torch.tensor(all.Images, [Count, 1, Side, Side], torch.ScalarType.Byte), torch.tensor(all.Labels, [Count, 2]),
            torch.tensor(all.Targets, [Count, 2, 1, Side, Side], torch.ScalarType.Byte));
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
