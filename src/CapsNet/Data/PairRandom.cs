namespace CapsNet.Data;

/// <summary>
/// A small random stream that is a pure function of its key (seed, stream, epoch, index): SplitMix64 started from
/// the key, so any pair of any epoch is drawn on its own, in any order and on any thread, without the draws before it.
/// </summary>
internal struct PairRandom
{
    private ulong _state;

    public PairRandom(int seed, PairStream stream, int epoch, long index)
    {
        _state = Mix(Mix(Mix(Mix((ulong)seed) ^ (ulong)stream) ^ (ulong)epoch) ^ (ulong)index);
    }

    /// <summary>A uniform integer in [0, <paramref name="count"/>), unbiased (Lemire's multiply and reject).</summary>
    public int Below(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        uint n = (uint)count;
        ulong product = (ulong)NextUInt() * n;
        if ((uint)product < n)
        {
            uint threshold = (0u - n) % n;
            while ((uint)product < threshold)
                product = (ulong)NextUInt() * n;
        }
        return (int)(product >> 32);
    }

    /// <summary>A uniform integer in [<paramref name="low"/>, <paramref name="high"/>], both ends included.</summary>
    public int Between(int low, int high) => low + Below(high - low + 1);

    private uint NextUInt()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return (uint)(Mix(_state) >> 32);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
