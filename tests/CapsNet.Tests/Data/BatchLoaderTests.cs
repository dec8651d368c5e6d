using CapsNet.Data;
using static TorchSharp.torch;

namespace CapsNet.Tests.Data;

public sealed class BatchLoaderTests
{
    // 10 images: image k is a 20x20 square of 25(k+1) inside a 0 border of 4 px, label k.
    private static ImageSet Synthetic(int channels = 1)
    {
        var images = zeros([10, channels, 28, 28], ScalarType.Byte);
        for (int k = 0; k < 10; k++)
            images[k, .., 4..24, 4..24] = (byte)(25 * (k + 1));
        return new ImageSet(images, arange(10, ScalarType.Int64));
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
            Assert.All(image[image > 0].data<float>().ToArray(), v => Assert.Equal(value, v));
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
        using var data = Synthetic(channels: 3);
        var loader = new BatchLoader(data);

        using Batch batch = loader.Batches(10, new Random(5), shiftFraction: 0.1).Single();

        Assert.Equal([10, 3, 28, 28], batch.Images.shape);
        for (int k = 0; k < 10; k++)
        {
            Assert.True(batch.Images[k, 1].equal(batch.Images[k, 0]).all().item<bool>());
            Assert.True(batch.Images[k, 2].equal(batch.Images[k, 0]).all().item<bool>());
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
}
