namespace CapsNet.Data;

/// <summary>
/// MultiMNIST (Sabour et al. 2017, section 6) from one split of single digits: each image overlays a digit on a
/// digit of another class from the same split, each shifted on its own by whole pixels drawn uniformly from
/// [-shift, shift] on each axis, on a canvas of side + 2*pad; pixels add, clipped at 255. The paper's protocol is
/// shift 4, pad 4 (36x36, no digit ever cut); the authors' released code uses shift 6, pad 4 (36x36, a digit may
/// lose pixels at the edge). Everything follows from the seed: the fixed test pairs, and each training epoch's
/// pairs from (seed, epoch), so nothing but the digits is kept and a resumed run repeats an epoch exactly.
/// </summary>
internal sealed class MultiMnist
{
    public const int PaperShift = 4;
    public const int PaperPad = 4;
    public const int DefaultTestPairs = 10_000;
    public const int DefaultEpochPairs = 60_000;

    private readonly byte[] _pixels;
    private readonly long[] _labels;

    /// <summary>Pairs of the digits of <paramref name="digits"/> (one split, grey) with these settings.</summary>
    public MultiMnist(ImageSet digits, int seed, int shift = PaperShift, int pad = PaperPad)
    {
        if (digits.Channels != 1)
            throw new ArgumentException($"MultiMNIST overlays grey digits, got {digits.Channels} channels.", nameof(digits));
        ArgumentOutOfRangeException.ThrowIfNegative(shift);
        ArgumentOutOfRangeException.ThrowIfNegative(pad);
        _pixels = digits.Pixels.data<byte>().ToArray();
        _labels = digits.LabelArray();
        if (_labels.Distinct().Count() < 2)
            throw new ArgumentException("MultiMNIST pairs digits of different classes; these digits are all of one class.", nameof(digits));
        Seed = seed;
        Shift = shift;
        Pad = pad;
        DigitSide = digits.Side;
    }

    public int Seed { get; }

    /// <summary>The largest shift, in pixels, on each axis.</summary>
    public int Shift { get; }

    /// <summary>Blank pixels added on each side of a digit: the canvas is <see cref="DigitSide"/> + 2*Pad.</summary>
    public int Pad { get; }

    public int DigitSide { get; }

    /// <summary>The canvas side: 36 for MNIST with pad 4.</summary>
    public int Side => DigitSide + 2 * Pad;

    /// <summary>The number of single digits pairs are drawn from.</summary>
    public int Digits => _labels.Length;

    /// <summary>
    /// Digit <paramref name="first"/> with a partner of another class and four shifts, all drawn from <paramref name="random"/>.
    /// </summary>
    internal MultiMnistPair Draw(int first, PairRandom random)
    {
        int second;
        do
            second = random.Below(Digits);
        while (_labels[second] == _labels[first]);
        return new MultiMnistPair(
            first, _labels[first], random.Between(-Shift, Shift), random.Between(-Shift, Shift),
            second, _labels[second], random.Between(-Shift, Shift), random.Between(-Shift, Shift));
    }

    /// <summary>
    /// Writes the pair's image and each digit's own shifted image, every one a canvas of <see cref="Side"/> x Side.
    /// </summary>
    public void Render(MultiMnistPair pair, Span<byte> image, Span<byte> first, Span<byte> second)
    {
        first.Clear();
        Place(Digit(pair.First), DigitSide, first, Pad, pair.FirstDx, pair.FirstDy);
        second.Clear();
        Place(Digit(pair.Second), DigitSide, second, Pad, pair.SecondDx, pair.SecondDy);
        for (int p = 0; p < image.Length; p++)
            image[p] = (byte)Math.Min(255, first[p] + second[p]);
    }

    /// <summary>
    /// Adds a digit (side x side, row-major) onto a canvas of side + 2*pad, moved from the centre by dx right and dy
    /// down, pixel by pixel clipped at 255; pixels that would fall outside the canvas are cut. On a blank canvas it
    /// is the digit's own shifted image; a second digit placed on the same canvas makes the overlaid pair.
    /// </summary>
    public static void Place(ReadOnlySpan<byte> digit, int side, Span<byte> canvas, int pad, int dx, int dy)
    {
        int canvasSide = side + 2 * pad;
        if (digit.Length != side * side || canvas.Length != canvasSide * canvasSide)
            throw new ArgumentException($"A digit of {side}x{side} needs a canvas of {canvasSide}x{canvasSide}; got {digit.Length} and " +
                $"{canvas.Length} pixels.");
        int top = pad + dy, left = pad + dx;
        int fromColumn = Math.Max(0, -left), toColumn = Math.Min(side, canvasSide - left);
        for (int row = Math.Max(0, -top); row < Math.Min(side, canvasSide - top); row++)
        {
            int from = row * side, to = (top + row) * canvasSide + left;
            for (int column = fromColumn; column < toColumn; column++)
                canvas[to + column] = (byte)Math.Min(255, canvas[to + column] + digit[from + column]);
        }
    }

    private ReadOnlySpan<byte> Digit(int index) => _pixels.AsSpan(index * DigitSide * DigitSide, DigitSide * DigitSide);
}
