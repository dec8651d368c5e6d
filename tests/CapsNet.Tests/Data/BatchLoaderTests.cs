using CapsNet.Data;
using TorchSharp;
using static CapsNet.HeldScalars;
using static TorchSharp.torch;

namespace CapsNet.Tests.Data;

public sealed class BatchLoaderTests
{
    // 10 images: image k is a 20x20 square of 25(k+1) inside a 0 border of 4 px, label k.
    private static ImageSet Synthetic(int channels = 1)
    {
        var images = zeros([10, channels, 28, 28], ScalarType.Byte);
        for (int k = 0; k < 10; k++)
        {
            using Scalar value = (byte)(25 * (k + 1));
            images[k, .., 4..24, 4..24].fill_(value);
        }
        return new ImageSet(images, tensor(Enumerable.Range(0, 10).Select(k => (long)k).ToArray()));
    }

    [Fact]
    public void WithoutRandomBatchesComeInOrderUnchangedWithAShortLastBatch()
    {
        using var data = Synthetic();
        var loader = new BatchLoader(data);

        var batches = loader.Batches(4).ToList();

        Assert.Equal([4, 4, 2], batches.Select(b => b.Size));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), batches.SelectMany(b => b.Labels.data<long>().ToArray()));
        using Tensor all = data.Images(0, 10);
        Assert.True(cat(batches.Select(b => b.Images).ToList(), 0).equal(all).all().item<bool>());
        batches.ForEach(b => b.Dispose());
    }

    [Fact]
    public void TrainingPassDropsTheLastPartialBatchAndShuffles()
    {
        using var data = Synthetic();
        var loader = new BatchLoader(data);

        var batches = loader.Batches(4, new Random(3), dropLast: true).ToList();
        long[] labels = batches.SelectMany(b => b.Labels.data<long>().ToArray()).ToArray();

        Assert.Equal(2, loader.BatchCount(4, dropLast: true));
        Assert.Equal(8, labels.Length);
        Assert.Equal(8, labels.Distinct().Count());
        Assert.NotEqual(Enumerable.Range(0, 8).Select(i => (long)i), labels);
        batches.ForEach(b => b.Dispose());
    }

    [Fact]
    public void ShiftsArePerSampleAndKeepLabelsAndPixelValues()
    {
        using var data = Synthetic();
        var loader = new BatchLoader(data);

        using Batch batch = loader.Batches(10, new Random(5), shiftFraction: 0.1).Single();
        long[] labels = batch.Labels.data<long>().ToArray();

        var offsets = new HashSet<(long, long)>();
        for (int k = 0; k < 10; k++)
        {
            // Each image keeps its one value (the label's) and its whole square, moved by at most 3 px.
            Tensor image = batch.Images[k, 0];
            Tensor lit = image.nonzero();
            float value = 25 * (labels[k] + 1) / 255f;
            Assert.Equal(20 * 20, lit.shape[0]);
            Assert.All(image[image.gt(Zero)].data<float>().ToArray(), v => Assert.Equal(value, v));
            long top = lit[.., 0].min().item<long>(), left = lit[.., 1].min().item<long>();
            Assert.InRange(top - 4, -3, 3);
            Assert.InRange(left - 4, -3, 3);
            offsets.Add((top, left));
        }
        Assert.True(offsets.Count > 1, "every image got the same shift");
    }

    [Fact]
    public void AColourImageMovesAsAWhole()
    {
        // Each channel its own: green is red halved, blue red quartered (0 stays 0, as the pixels shifted in).
        using var data = Synthetic(channels: 3);
        using Scalar four = 4.ToScalar();
        data.Pixels[.., 1].copy_(data.Pixels[.., 0].div(Two, rounding_mode: RoundingMode.floor));
        data.Pixels[.., 2].copy_(data.Pixels[.., 0].div(four, rounding_mode: RoundingMode.floor));
        var loader = new BatchLoader(data);

        using Batch batch = loader.Batches(10, new Random(5), shiftFraction: 0.1).Single();

        Assert.Equal([10, 3, 28, 28], batch.Images.shape);
        using Tensor bytes = batch.Images.mul(ByteMax).round().to_type(ScalarType.Int32);
        Assert.False(bytes[.., 0].equal(data.Pixels[.., 0].to_type(ScalarType.Int32)).all().item<bool>(), "nothing moved");
        for (int k = 0; k < 10; k++)
        {
            Assert.True(bytes[k, 1].equal(bytes[k, 0].div(Two, rounding_mode: RoundingMode.floor)).all().item<bool>(),
                $"image {k}: green did not move with red");
            Assert.True(bytes[k, 2].equal(bytes[k, 0].div(four, rounding_mode: RoundingMode.floor)).all().item<bool>(),
                $"image {k}: blue did not move with red");
        }
    }

    [Fact]
    public void SameSeedGivesTheSameBatches()
    {
        using var data = Synthetic();
        var loader = new BatchLoader(data);

        using Batch a = loader.Batches(10, new Random(8), 0.1).Single();
        using Batch b = loader.Batches(10, new Random(8), 0.1).Single();

        Assert.True(a.Images.equal(b.Images).all().item<bool>());
        Assert.True(a.Labels.equal(b.Labels).all().item<bool>());
    }

    // Shifts for side 28 and fraction 0.1: uniform on [-2.8, 2.8] rounded, so -3 and 3 have 0.3/5.6, the others 1/5.6.
    private static readonly double[] ShiftProbabilities = [0.3 / 5.6, 1 / 5.6, 1 / 5.6, 1 / 5.6, 1 / 5.6, 1 / 5.6, 0.3 / 5.6];
    // Upper 0.1% points of chi-square: an honest draw exceeds them for one seed in a thousand.
    private const double ChiSquare6Df = 22.458, ChiSquare36Df = 67.985;

    /// <summary>The (dx, dy) of every image of a training pass over single-pixel images, in the order served.</summary>
    private static List<(int Dx, int Dy)> ObservedShifts(int images, int seed)
    {
        const int centre = 14;
        var pixels = zeros([images, 1, 28, 28], ScalarType.Byte);
        pixels[.., 0, centre, centre].fill_(ByteMax);
        using var data = new ImageSet(pixels, zeros(images, ScalarType.Int64));
        var shifts = new List<(int, int)>();
        foreach (Batch batch in new BatchLoader(data).Batches(100, new Random(seed), shiftFraction: 0.1, dropLast: true))
        {
            using (batch)
            {
                Tensor flat = batch.Images.view(batch.Size, -1);
                Assert.True(flat.count_nonzero([1]).eq(One).all().item<bool>(), "an image lost its pixel or gained one");
                foreach (long at in flat.argmax(1).data<long>().ToArray())
                    shifts.Add(((int)(at % 28) - centre, (int)(at / 28) - centre));
            }
        }
        return shifts;
    }

    /// <summary>Pearson's statistic for independence of the two shifts in each pair, from a 7x7 table.</summary>
    private static double IndependenceChiSquare(IReadOnlyList<(int A, int B)> pairs)
    {
        var table = new double[7, 7];
        foreach (var (a, b) in pairs)
            table[a + 3, b + 3]++;
        double statistic = 0;
        for (int i = 0; i < 7; i++)
        {
            for (int j = 0; j < 7; j++)
            {
                double rowTotal = Enumerable.Range(0, 7).Sum(k => table[i, k]);
                double columnTotal = Enumerable.Range(0, 7).Sum(k => table[k, j]);
                double expected = rowTotal * columnTotal / pairs.Count;
                statistic += (table[i, j] - expected) * (table[i, j] - expected) / expected;
            }
        }
        return statistic;
    }

    private static double GoodnessOfFitChiSquare(IEnumerable<int> shifts)
    {
        int[] counts = new int[7];
        foreach (int shift in shifts)
            counts[shift + 3]++;
        int total = counts.Sum();
        return Enumerable.Range(0, 7).Sum(k => Math.Pow(counts[k] - total * ShiftProbabilities[k], 2) / (total * ShiftProbabilities[k]));
    }

    [Fact]
    public void ShiftsAreDrawnIndependentlyPerAxisAndPerImage()
    {
        List<(int Dx, int Dy)> shifts = ObservedShifts(images: 4000, seed: 17);

        // Under independence P(dx == dy) = sum p_k^2 = 0.165; a shared draw would make it 1.
        double same = shifts.Count(s => s.Dx == s.Dy) / (double)shifts.Count;
        Assert.True(same is > 0.13 and < 0.20, $"{same:P1} of the images have dx == dy; independent draws give 16.5%");
        double axes = IndependenceChiSquare(shifts);
        Assert.True(axes < ChiSquare36Df, $"dx and dy are dependent: chi-square {axes:F1} >= {ChiSquare36Df}");
        double nextDx = IndependenceChiSquare(shifts.Zip(shifts.Skip(1), (a, b) => (a.Dx, b.Dx)).ToList());
        double nextDy = IndependenceChiSquare(shifts.Zip(shifts.Skip(1), (a, b) => (a.Dy, b.Dy)).ToList());
        Assert.True(nextDx < ChiSquare36Df, $"consecutive images' dx are dependent: chi-square {nextDx:F1}");
        Assert.True(nextDy < ChiSquare36Df, $"consecutive images' dy are dependent: chi-square {nextDy:F1}");
        double fitDx = GoodnessOfFitChiSquare(shifts.Select(s => s.Dx));
        double fitDy = GoodnessOfFitChiSquare(shifts.Select(s => s.Dy));
        Assert.True(fitDx < ChiSquare6Df, $"dx is not rounded uniform on [-2.8, 2.8]: chi-square {fitDx:F1}");
        Assert.True(fitDy < ChiSquare6Df, $"dy is not rounded uniform on [-2.8, 2.8]: chi-square {fitDy:F1}");
    }
}
