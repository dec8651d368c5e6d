using CapsNet.Data;
using static TorchSharp.torch;

namespace CapsNet.Tests.Data;

public sealed class HeldOutTests
{
    // 100 images whose label is their index, so a batch's labels say which images it holds.
    private static ImageSet Indexed(int count) =>
        new(zeros([count, 1, 20, 20], ScalarType.Byte), tensor(Enumerable.Range(0, count).Select(i => (long)i).ToArray()));

    [Fact]
    public void TheLastNAreHeldOutAndNeverTrainedOn()
    {
        using var train = Indexed(100);
        using var test = Indexed(10);

        using var split = HeldOut.Split(train, test, heldOut: 30);
        long[] trained = new BatchLoader(split.Train).Batches(7, new Random(1), 0.1, dropLast: true)
            .SelectMany(batch => { using (batch) return batch.Labels.data<long>().ToArray(); }).ToArray();

        Assert.Equal((70, 30), (split.Train.Count, split.Validation.Count));
        Assert.Equal(Enumerable.Range(70, 30).Select(i => (long)i), split.Validation.LabelArray());
        Assert.Equal(70 / 7 * 7, trained.Length);
        Assert.All(trained, index => Assert.InRange(index, 0, 69));
        Assert.Equal(trained.Length, trained.Distinct().Count());
    }

    [Fact]
    public void WithoutItTheTestSetValidatesAsInTheReference()
    {
        using var train = Indexed(100);
        using var test = Indexed(10);

        using var split = HeldOut.Split(train, test, heldOut: null);

        Assert.Same(train, split.Train);
        Assert.Same(test, split.Validation);
    }

    [Fact]
    public void HoldingOutEverythingIsRefused()
    {
        using var train = Indexed(100);
        using var test = Indexed(10);

        var error = Assert.Throws<UserInputException>(() => HeldOut.Split(train, test, heldOut: 100));

        Assert.Equal("Holding out 100 of the 100 training images for validation leaves none to train on.", error.Message);
    }
}
