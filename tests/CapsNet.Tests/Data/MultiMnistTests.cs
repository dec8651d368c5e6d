using CapsNet.Data;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CapsNet.Tests.Data;

public sealed class MultiMnistTests(ITestOutputHelper output)
{
    private const int MnistSide = 28;

    /// <summary>The MNIST test split as bytes and labels, read once.</summary>
    private static readonly Lazy<(byte[] Pixels, long[] Labels)> MnistTest = new(() =>
    {
        using ImageSet test = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Test);
        return (test.Pixels.data<byte>().ToArray(), test.LabelArray());
    });

    private static MultiMnist OnMnistTest(int seed = 7, int shift = MultiMnist.PaperShift, int pad = MultiMnist.PaperPad)
    {
        var (pixels, labels) = MnistTest.Value;
        using var set = new ImageSet(tensor(pixels, [labels.Length, 1, MnistSide, MnistSide], ScalarType.Byte), tensor(labels));
        return new MultiMnist(set, seed, shift, pad);
    }

    private static ReadOnlySpan<byte> MnistTestDigit(int index) =>
        MnistTest.Value.Pixels.AsSpan(index * MnistSide * MnistSide, MnistSide * MnistSide);

    /// <summary>Hand-made square digits of one side, digit i labelled labels[i].</summary>
    private static MultiMnist HandMade(int side, byte[][] digits, long[] labels, int seed = 1, int shift = 0, int pad = 0)
    {
        using var set = new ImageSet(tensor(digits.SelectMany(d => d).ToArray(), [digits.Length, 1, side, side], ScalarType.Byte),
            tensor(labels));
        return new MultiMnist(set, seed, shift, pad);
    }

    private static byte[] Placed(ReadOnlySpan<byte> digit, int side, int pad, int dx, int dy)
    {
        var canvas = new byte[(side + 2 * pad) * (side + 2 * pad)];
        MultiMnist.Place(digit, side, canvas, pad, dx, dy);
        return canvas;
    }

    private static byte[] Target(MultiMnistBatch batch, int pair, int digit)
    {
        int area = batch.Side * batch.Side;
        return batch.Targets.AsSpan((2 * pair + digit) * area, area).ToArray();
    }

    [Fact]
    public void TheCanvasIsTheDigitSidePlusTwiceThePad()
    {
        MultiMnist paper = OnMnistTest();
        MultiMnistBatch batch = MultiMnistPairs.Test(paper).Take(0, 3);

        Assert.Equal(36, paper.Side);
        Assert.Equal(36, batch.Side);
        Assert.Equal(3 * 36 * 36, batch.Images.Length);
        Assert.Equal(3 * 2 * 36 * 36, batch.Targets.Length);
        Assert.Equal(3 * 2, batch.Labels.Length);
        Assert.Equal(30, OnMnistTest(pad: 1).Side);
    }

    [Fact]
    public void PlaceMovesTheDigitFromTheCentreAndCutsWhatLeavesTheCanvas()
    {
        byte[] digit = [1, 2, 3, 4];  // 2x2 on a canvas of 4x4 (pad 1)

        Assert.Equal(new byte[]
        {
            0, 0, 0, 0,
            0, 1, 2, 0,
            0, 3, 4, 0,
            0, 0, 0, 0,
        }, Placed(digit, side: 2, pad: 1, dx: 0, dy: 0));
        Assert.Equal(new byte[]
        {
            0, 0, 0, 0,
            0, 0, 0, 0,
            0, 0, 1, 2,
            0, 0, 3, 4,
        }, Placed(digit, side: 2, pad: 1, dx: 1, dy: 1));
        Assert.Equal(new byte[]
        {
            0, 0, 0, 0,
            0, 0, 1, 2,
            0, 0, 3, 4,
            0, 0, 0, 0,
        }, Placed(digit, side: 2, pad: 1, dx: 1, dy: 0));  // dx moves right only
        Assert.Equal(new byte[]
        {
            4, 0, 0, 0,
            0, 0, 0, 0,
            0, 0, 0, 0,
            0, 0, 0, 0,
        }, Placed(digit, side: 2, pad: 1, dx: -2, dy: -2));
        Assert.Equal(new byte[16], Placed(digit, side: 2, pad: 1, dx: 3, dy: 0));
    }

    [Fact]
    public void APairIsBothDigitsAddedClippedAt255WithEachDigitsOwnImage()
    {
        byte[] a = [200, 10, 0, 0], b = [100, 20, 255, 1];
        MultiMnist twoDigits = HandMade(side: 2, [a, b], labels: [3, 5]);

        MultiMnistBatch batch = MultiMnistPairs.Test(twoDigits, count: 2).Take(0, 2);

        Assert.Equal(new byte[] { 255, 30, 255, 1, 255, 30, 255, 1 }, batch.Images);
        Assert.Equal(new byte[] { 200, 10, 0, 0, 100, 20, 255, 1, 100, 20, 255, 1, 200, 10, 0, 0 }, batch.Targets);
        Assert.Equal(new long[] { 3, 5, 5, 3 }, batch.Labels);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void ShiftsAreUniformPerDigitAndAxisReachingBothEndsAndNeverBeyond(int shift)
    {
        MultiMnistPairs pairs = MultiMnistPairs.Test(OnMnistTest(shift: shift));
        int[][] components =
        [
            [.. Enumerable.Range(0, pairs.Count).Select(k => pairs[k].FirstDx)],
            [.. Enumerable.Range(0, pairs.Count).Select(k => pairs[k].FirstDy)],
            [.. Enumerable.Range(0, pairs.Count).Select(k => pairs[k].SecondDx)],
            [.. Enumerable.Range(0, pairs.Count).Select(k => pairs[k].SecondDy)],
        ];

        double expected = (double)pairs.Count / (2 * shift + 1);
        foreach (int[] shifts in components)
        {
            Assert.Equal(-shift, shifts.Min());
            Assert.Equal(shift, shifts.Max());
            Assert.Equal(2 * shift + 1, shifts.Distinct().Count());
            Assert.All(shifts.CountBy(s => s), count => Assert.InRange(count.Value, 0.85 * expected, 1.15 * expected));
        }
        // Independent: all (2*shift+1)^2 combinations of one digit's dx and dy occur, and the two digits differ.
        Assert.Equal((2 * shift + 1) * (2 * shift + 1), components[0].Zip(components[1]).Distinct().Count());
        Assert.InRange(components[0].Zip(components[2]).Count(p => p.First == p.Second), 0.5 * expected, 1.5 * expected);
    }

    [Fact]
    public void EachTestPairIsTestDigitKWithAPartnerOfAnotherClassPlacedAtItsShifts()
    {
        long[] labels = MnistTest.Value.Labels;
        MultiMnistPairs pairs = MultiMnistPairs.Test(OnMnistTest());
        MultiMnistBatch batch = pairs.Take(0, pairs.Count);

        Assert.Equal(10_000, pairs.Count);
        for (int k = 0; k < pairs.Count; k++)
        {
            MultiMnistPair pair = pairs[k];
            Assert.Equal(k, pair.First);
            Assert.Equal(labels[pair.First], pair.FirstLabel);
            Assert.Equal(labels[pair.Second], pair.SecondLabel);
            Assert.NotEqual(pair.FirstLabel, pair.SecondLabel);
            Assert.Equal(new[] { pair.FirstLabel, pair.SecondLabel }, batch.Labels.AsSpan(2 * k, 2).ToArray());
            Assert.Equal(Placed(MnistTestDigit(pair.First), MnistSide, 4, pair.FirstDx, pair.FirstDy), Target(batch, k, 0));
            Assert.Equal(Placed(MnistTestDigit(pair.Second), MnistSide, 4, pair.SecondDx, pair.SecondDy), Target(batch, k, 1));
        }
        Assert.Equal(10, Enumerable.Range(0, pairs.Count).Select(k => pairs[k].SecondLabel).Distinct().Count());
    }

    [Fact]
    public void MoreTestPairsThanDigitsStartAgainFromTheFirstDigit()
    {
        MultiMnistPairs pairs = MultiMnistPairs.Test(OnMnistTest(), count: 25_000);

        Assert.Equal(2_345, pairs[12_345].First);
        Assert.Equal(0, pairs[20_000].First);
        Assert.Equal(4_999, pairs[24_999].First);
        Assert.NotEqual(pairs[2_345], pairs[12_345]);
    }

    [Fact]
    public void TrainingPairsComeFromTheTrainingSplit()
    {
        using ImageSet train = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Train, maxSamples: 3_000);
        byte[] pixels = train.Pixels.data<byte>().ToArray();
        long[] labels = train.LabelArray();
        MultiMnistPairs epoch = MultiMnistPairs.Epoch(new MultiMnist(train, seed: 7), 0, count: 3_000);

        ReadOnlySpan<byte> Digit(int index) => pixels.AsSpan(index * MnistSide * MnistSide, MnistSide * MnistSide);

        MultiMnistBatch batch = epoch.Take(0, epoch.Count);

        for (int k = 0; k < epoch.Count; k++)
        {
            MultiMnistPair pair = epoch[k];
            Assert.Equal(new[] { labels[pair.First], labels[pair.Second] }, batch.Labels.AsSpan(2 * k, 2).ToArray());
            Assert.NotEqual(labels[pair.First], labels[pair.Second]);
            Assert.Equal(Placed(Digit(pair.First), MnistSide, 4, pair.FirstDx, pair.FirstDy), Target(batch, k, 0));
            Assert.Equal(Placed(Digit(pair.Second), MnistSide, 4, pair.SecondDx, pair.SecondDy), Target(batch, k, 1));
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameImagesAndAnotherSeedOthers()
    {
        MultiMnistBatch once = MultiMnistPairs.Test(OnMnistTest(seed: 7)).Take(0, 500);
        MultiMnistBatch again = MultiMnistPairs.Test(OnMnistTest(seed: 7)).Take(0, 500);
        MultiMnistBatch other = MultiMnistPairs.Test(OnMnistTest(seed: 8)).Take(0, 500);

        Assert.Equal(once.Images, again.Images);
        Assert.Equal(once.Targets, again.Targets);
        Assert.Equal(once.Labels, again.Labels);
        Assert.NotEqual(once.Images, other.Images);
    }

    [Fact]
    public void AnEpochPutsEachDigitFirstOnceInAnOrderOfItsOwn()
    {
        MultiMnist generator = OnMnistTest();
        MultiMnistPairs epoch0 = MultiMnistPairs.Epoch(generator, 0, count: 10_000), epoch1 = MultiMnistPairs.Epoch(generator, 1,
            count: 10_000);

        int[] firsts0 = [.. Enumerable.Range(0, 10_000).Select(k => epoch0[k].First)];
        int[] firsts1 = [.. Enumerable.Range(0, 10_000).Select(k => epoch1[k].First)];

        Assert.Equal(Enumerable.Range(0, 10_000), firsts0.Order());
        Assert.Equal(Enumerable.Range(0, 10_000), firsts1.Order());
        Assert.True(firsts0.Zip(firsts1).Count(p => p.First == p.Second) < 10);
        Assert.NotEqual(Enumerable.Range(0, 10_000), firsts0);
    }

    [Fact]
    public void EachEpochPairsTheDigitsAfreshAndTheSameEpochAlwaysAlike()
    {
        MultiMnistPairs epoch2 = MultiMnistPairs.Epoch(OnMnistTest(), 2, count: 10_000);
        MultiMnistPairs epoch2Again = MultiMnistPairs.Epoch(OnMnistTest(), 2, count: 10_000);
        MultiMnistPairs epoch3 = MultiMnistPairs.Epoch(OnMnistTest(), 3, count: 10_000);

        var partners2 = Enumerable.Range(0, 10_000).Select(k => epoch2[k]).ToDictionary(p => p.First, p => p.Second);
        var partners3 = Enumerable.Range(0, 10_000).Select(k => epoch3[k]).ToDictionary(p => p.First, p => p.Second);

        Assert.All(Enumerable.Range(0, 10_000), k => Assert.Equal(epoch2[k], epoch2Again[k]));
        Assert.True(partners2.Count(p => partners3[p.Key] == p.Value) < 10);
    }

    [Fact]
    public void AnyRangeOfAnEpochHoldsTheSamePairsAsTheWholeEpoch()
    {
        MultiMnistPairs epoch = MultiMnistPairs.Epoch(OnMnistTest(), 5, count: 300);
        MultiMnistBatch whole = epoch.Take(0, 300);

        MultiMnistBatch middle = epoch.Take(120, 50);

        int area = 36 * 36;
        Assert.Equal(whole.Images.AsSpan(120 * area, 50 * area).ToArray(), middle.Images);
        Assert.Equal(whole.Targets.AsSpan(2 * 120 * area, 2 * 50 * area).ToArray(), middle.Targets);
        Assert.Equal(whole.Labels.AsSpan(2 * 120, 2 * 50).ToArray(), middle.Labels);
        Assert.Throws<ArgumentOutOfRangeException>(() => epoch.Take(290, 11));
    }

    [Fact]
    public void WithShiftUpToThePadEveryDigitStaysWhole()
    {
        MultiMnistPairs pairs = MultiMnistPairs.Test(OnMnistTest(shift: 4, pad: 4));
        MultiMnistBatch batch = pairs.Take(0, pairs.Count);

        for (int k = 0; k < pairs.Count; k++)
        {
            Assert.Equal(Ink(MnistTestDigit(pairs[k].First)), Ink(Target(batch, k, 0)));
            Assert.Equal(Ink(MnistTestDigit(pairs[k].Second)), Ink(Target(batch, k, 1)));
        }
    }

    [Fact]
    public void WithShiftBeyondThePadADigitMayBeCut()
    {
        var corner = new byte[MnistSide * MnistSide];
        corner[0] = 255;                        // top-left pixel: cut when moved 5 or more up or left with pad 4
        corner[14 * MnistSide + 14] = 255;      // centre pixel: always kept
        var other = new byte[MnistSide * MnistSide];
        other[14 * MnistSide + 14] = 100;
        MultiMnistPairs pairs = MultiMnistPairs.Test(HandMade(MnistSide, [corner, other], labels: [0, 1], shift: 6, pad: 4), count: 400);

        MultiMnistBatch batch = pairs.Take(0, pairs.Count);
        int[] kept = [.. Enumerable.Range(0, pairs.Count).Where(k => pairs[k].First == 0).Select(k => Ink(Target(batch, k, 0)))];
        int[] expected = [.. Enumerable.Range(0, pairs.Count).Where(k => pairs[k].First == 0)
            .Select(k => pairs[k].FirstDx < -4 || pairs[k].FirstDy < -4 ? 255 : 510)];

        Assert.Equal(expected, kept);
        Assert.Contains(255, kept);
        Assert.Contains(510, kept);
    }

    [Fact]
    public void TheMeasuredOverlapOfTheDigitsBoxesOnTheMnistTestPairs()
    {
        double paper = MultiMnistPairs.Test(OnMnistTest(shift: 4, pad: 4)).MeanOverlap();
        double authors = MultiMnistPairs.Test(OnMnistTest(shift: 6, pad: 4)).MeanOverlap();

        output.WriteLine($"Mean bounding-box overlap (shared area / smaller box), 10,000 MNIST test pairs, seed 7: " +
            $"shift 4 pad 4 {paper:P1}, shift 6 pad 4 {authors:P1}.");
        Assert.InRange(paper, 0.60, 0.95);
        Assert.InRange(authors, 0.50, paper);
    }

    [Fact]
    public void ThePapersEightyPercentIsTheOverlapOfTheTwoDigitsWholeFrames()
    {
        // The two 28x28 frames, each moved by up to 4 px per axis: per axis the offset d = d1 - d2 has
        // P(|d|) = (9 - |d|)/81 (times 2 for d != 0), so E|d| = 2 * sum_{d=1..8} d(9 - d) / 81 = 240/81, and with
        // independent axes the expected shared area is (1 - E|d|/28)^2 = 0.7996 of a frame.
        double expected = Math.Pow(1 - 240.0 / 81 / MnistSide, 2);
        MultiMnistPairs pairs = MultiMnistPairs.Test(OnMnistTest());
        BoundingBox Frame(int dx, int dy) => new(4 + dy, 4 + dx, 4 + dy + MnistSide, 4 + dx + MnistSide);

        double measured = Enumerable.Range(0, pairs.Count)
            .Average(k => Frame(pairs[k].FirstDx, pairs[k].FirstDy).Overlap(Frame(pairs[k].SecondDx, pairs[k].SecondDy)));

        output.WriteLine($"Mean overlap of the two 28x28 frames, 10,000 test pairs, shift 4: {measured:P2} (expected {expected:P2}).");
        Assert.Equal(0.7996, expected, 4);
        Assert.InRange(measured, expected - 0.005, expected + 0.005);
    }

    [Fact]
    public void OverlapIsTheSharedAreaOverTheSmallerBox()
    {
        var tenByTen = new BoundingBox(0, 0, 10, 10);          // area 100
        var tenByFive = new BoundingBox(5, 2, 15, 7);          // area 50, shares rows 5-9 and columns 2-6: 25

        Assert.Equal(new BoundingBox(5, 2, 10, 7), tenByTen.Intersect(tenByFive));
        Assert.Equal(0.5, tenByTen.Overlap(tenByFive));
        Assert.Equal(0.5, tenByFive.Overlap(tenByTen));
        Assert.Equal(1.0, tenByTen.Overlap(new BoundingBox(2, 3, 4, 9)));
        Assert.Equal(0.0, tenByTen.Overlap(new BoundingBox(10, 0, 20, 10)));  // touching edges share no pixel
        Assert.Equal(0.0, tenByTen.Overlap(BoundingBox.Empty));
    }

    [Fact]
    public void ABoxHoldsEveryNonZeroPixelAndTheMeanOverlapUsesThePlacedDigits()
    {
        var a = new byte[16];
        a[0 * 4 + 0] = 9;
        a[1 * 4 + 3] = 1;      // box rows 0-1, columns 0-3: area 8
        var b = new byte[16];
        b[1 * 4 + 2] = 5;
        b[3 * 4 + 3] = 7;      // box rows 1-3, columns 2-3: area 6; shared with a: row 1, columns 2-3
        MultiMnist twoDigits = HandMade(side: 4, [a, b], labels: [0, 1]);

        Assert.Equal(new BoundingBox(0, 0, 2, 4), BoundingBox.Of(a, 4));
        Assert.Equal(new BoundingBox(1, 2, 4, 4), BoundingBox.Of(b, 4));
        Assert.Equal(BoundingBox.Empty, BoundingBox.Of(new byte[16], 4));
        Assert.Equal(2.0 / 6, MultiMnistPairs.Test(twoDigits, count: 2).MeanOverlap(), 12);
    }

    [Fact]
    public void DigitsOfOneClassCannotBePaired()
    {
        var error = Assert.Throws<ArgumentException>(() => HandMade(side: 2, [[1, 1, 1, 1], [2, 2, 2, 2]], labels: [4, 4]));

        Assert.StartsWith("MultiMNIST pairs digits of different classes; these digits are all of one class.", error.Message);
    }

    private static int Ink(ReadOnlySpan<byte> image)
    {
        int sum = 0;
        foreach (byte pixel in image)
            sum += pixel;
        return sum;
    }
}
