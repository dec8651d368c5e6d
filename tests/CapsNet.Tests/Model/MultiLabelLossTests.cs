using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

public sealed class MultiLabelLossTests
{
    private static Tensor Lengths() => tensor(new float[,] { { 0.95f, 0.2f, 0.05f }, { 0.5f, 0.3f, 0.7f } });

    [Fact]
    public void MarginLossCountsEveryPresentClassAsPresent()
    {
        // Sample 0 (classes 0, 1): 0 + (0.9-0.2)^2 + 0 = 0.49.
        // Sample 1 (classes 2, 0): (0.9-0.7)^2 + (0.9-0.5)^2 + 0.5*(0.3-0.1)^2 = 0.04 + 0.16 + 0.02 = 0.22.
        using var loss = MultiLabelLoss.Margin(Lengths(), tensor(new long[,] { { 0, 1 }, { 2, 0 } }));
        using var swapped = MultiLabelLoss.Margin(Lengths(), tensor(new long[,] { { 1, 0 }, { 0, 2 } }));

        Assert.Equal(0.355, loss.item<float>(), 6);
        Assert.Equal(loss.item<float>(), swapped.item<float>());
    }

    [Fact]
    public void WithOneLabelTheMarginLossIsCapsuleLossExactly()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11);
        Tensor lengths = rand([64, 10], generator: generator);
        Tensor labels = randint(0, 10, [64], generator: generator);

        float single = CapsuleLoss.Margin(lengths, labels).item<float>();
        float multi = MultiLabelLoss.Margin(lengths, labels.unsqueeze(1)).item<float>();

        Assert.Equal(single, multi);
    }

    [Fact]
    public void ReconstructionAddsEachDigitsMeanSquaredErrorAgainstItsOwnTarget()
    {
        // [B=2, K=2, 1, 2, 2]. Digit 0: (0.01+0.04+0.09+0.16 + 0) / 8 = 0.0375.
        // Digit 1: ((0.25*4) + 1) / 8 = 0.25 (sample 0 against [1,1,0,0], sample 1 one pixel off by 1).
        using var targets = tensor(new float[] { 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, [2, 2, 1, 2, 2]);
        using var reconstructions = tensor(new float[] { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.5f, 0.5f, 0.5f, 0, 0, 0, 0, 0, 0, 0, 1 }, [2, 2, 1,
            2, 2]);

        using var loss = MultiLabelLoss.Reconstruction(targets, reconstructions);
        using var first = CapsuleLoss.Reconstruction(targets[.., 0], reconstructions[.., 0]);
        using var second = CapsuleLoss.Reconstruction(targets[.., 1], reconstructions[.., 1]);
        using var firstAlone = MultiLabelLoss.Reconstruction(targets[.., ..1], reconstructions[.., ..1]);

        Assert.Equal(0.2875, loss.item<float>(), 6);
        Assert.Equal(0.0375, first.item<float>(), 6);
        Assert.Equal(0.25, second.item<float>(), 6);
        Assert.Equal(first.item<float>(), firstAlone.item<float>());
    }

    [Theory]
    [InlineData(new[] { 0.9f, 0.1f, 0.8f, 0.2f }, new long[] { 0, 2 }, true)]   // both right
    [InlineData(new[] { 0.9f, 0.1f, 0.8f, 0.2f }, new long[] { 2, 0 }, true)]   // both right, labels in the other order
    [InlineData(new[] { 0.8f, 0.1f, 0.9f, 0.2f }, new long[] { 0, 2 }, true)]   // both right, lengths in the other order
    [InlineData(new[] { 0.9f, 0.8f, 0.1f, 0.2f }, new long[] { 0, 2 }, false)]  // one right
    [InlineData(new[] { 0.1f, 0.9f, 0.2f, 0.8f }, new long[] { 0, 2 }, false)]  // none right
    public void APairIsRightOnlyWhenItsTwoLongestCapsulesAreItsTwoClasses(float[] lengths, long[] labels, bool right)
    {
        Assert.Equal(right ? 1 : 0, Correct(lengths, labels));
    }

    [Fact]
    public void AmongEqualLengthsTheLowerClassIsPredictedAsArgmaxDoes()
    {
        // Classes 1 and 2 tie for second place: class 1 is taken.
        Assert.Equal(1, Correct([0.9f, 0.5f, 0.5f, 0.1f], [0, 1]));
        Assert.Equal(0, Correct([0.9f, 0.5f, 0.5f, 0.1f], [0, 2]));
        // Classes 2 and 3 tie for second place: class 2 is taken.
        Assert.Equal(1, Correct([0.2f, 0.9f, 0.5f, 0.5f], [1, 2]));
        Assert.Equal(0, Correct([0.2f, 0.9f, 0.5f, 0.5f], [3, 1]));
        // A tie for first place with one label, as CapsuleLoss.Correct decides it.
        using Tensor tied = tensor(new float[,] { { 0.5f, 0.5f, 0.1f } });
        Assert.Equal(CapsuleLoss.Correct(tied, tensor(new long[] { 0 })), MultiLabelLoss.Correct(tied, tensor(new long[,] { { 0 } })));
        Assert.Equal(CapsuleLoss.Correct(tied, tensor(new long[] { 1 })), MultiLabelLoss.Correct(tied, tensor(new long[,] { { 1 } })));
    }

    [Fact]
    public void CorrectCountsTheRightSamplesOfABatch()
    {
        using Tensor lengths = tensor(new float[,] { { 0.9f, 0.1f, 0.8f, 0.2f }, { 0.9f, 0.8f, 0.1f, 0.2f }, { 0.3f, 0.2f, 0.1f, 0.9f } });

        Assert.Equal(2, MultiLabelLoss.Correct(lengths, tensor(new long[,] { { 2, 0 }, { 0, 2 }, { 3, 0 } })));
    }

    [Fact]
    public void WithOneLabelCorrectIsCapsuleLossCorrect()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        Tensor lengths = rand([200, 10], generator: generator);
        Tensor labels = randint(0, 10, [200], generator: generator);

        long single = CapsuleLoss.Correct(lengths, labels);

        Assert.InRange(single, 1, 199);
        Assert.Equal(single, MultiLabelLoss.Correct(lengths, labels.unsqueeze(1)));
    }

    private static long Correct(float[] lengths, long[] labels)
    {
        using var scope = NewDisposeScope();
        return MultiLabelLoss.Correct(tensor(lengths).unsqueeze(0), tensor(labels).unsqueeze(0));
    }
}
