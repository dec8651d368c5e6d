namespace CapsNet.Imaging;

/// <summary>
/// Bytes that parallel work may hold at once. Work is admitted strictly in turn (0, 1, 2, ...), each when what is
/// in flight leaves room for its cost, or when nothing is in flight: a cost over the whole budget runs alone, and
/// a large one is never passed over for ever by small ones behind it.
/// </summary>
internal sealed class MemoryBudget
{
    private readonly object _gate = new();
    private int _turn;
    private int _turnsGiven;
    private long _inFlight;

    public MemoryBudget(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1);
        Bytes = bytes;
    }

    public long Bytes { get; }

    /// <summary>The most ever in flight at once: at most <see cref="Bytes"/>, or a single cost larger than it.</summary>
    public long PeakInFlight { get; private set; }

    /// <summary>The first of <paramref name="count"/> consecutive turns for one batch of work, after every turn given before.</summary>
    public int TakeTurns(int count)
    {
        lock (_gate)
        {
            int first = _turnsGiven;
            _turnsGiven += count;
            return first;
        }
    }

    /// <summary>Passes over the turns before <paramref name="end"/> not taken (a batch stopped part-way), so later ones may go.</summary>
    public void SkipTo(int end)
    {
        lock (_gate)
        {
            _turn = Math.Max(_turn, end);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits for turn <paramref name="turn"/> and for room for <paramref name="cost"/> bytes, then takes them.</summary>
    public void Acquire(int turn, long cost)
    {
        lock (_gate)
        {
            while (_turn != turn || (_inFlight > 0 && _inFlight + cost > Bytes))
                Monitor.Wait(_gate);
            _turn++;
            _inFlight += cost;
            PeakInFlight = Math.Max(PeakInFlight, _inFlight);
            Monitor.PulseAll(_gate);
        }
    }

    public void Release(long cost)
    {
        lock (_gate)
        {
            _inFlight -= cost;
            Monitor.PulseAll(_gate);
        }
    }
}
