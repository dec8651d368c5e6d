using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

public sealed class CapsuleLossTests
{
    private static Tensor Lengths() => tensor(new float[,] { { 0.95f, 0.2f, 0.05f }, { 0.5f, 0.3f, 0.7f } });

    private static Tensor Labels() => tensor(new long[] { 0, 2 });

    [Fact]
    public void MarginLossMatchesTheHandComputedValue()
    {
        // Sample 0 (class 0): 0 + 0.5*(0.2-0.1)^2 + 0 = 0.005.
        // Sample 1 (class 2): (0.9-0.7)^2 + 0.5*(0.5-0.1)^2 + 0.5*(0.3-0.1)^2 = 0.04 + 0.08 + 0.02 = 0.14.
        using var loss = CapsuleLoss.Margin(Lengths(), Labels());

        Assert.Equal(0.0725, loss.item<float>(), 6);
    }

    [Fact]
    public void TotalAddsTheWeightedReconstructionError()
    {
        using var images = zeros(1, 1, 2, 2);
        using var reconstructions = tensor(new[] { 0.1f, 0.2f, 0.3f, 0.4f }, [1, 1, 2, 2]);

        using var mse = CapsuleLoss.Reconstruction(images, reconstructions);
        using var total = CapsuleLoss.Total(CapsuleLoss.Margin(Lengths(), Labels()), mse, lamRecon: 0.392);

        Assert.Equal(0.075, mse.item<float>(), 6);  // (0.01 + 0.04 + 0.09 + 0.16) / 4
        Assert.Equal(0.0725 + 0.392 * 0.075, total.item<float>(), 6);
    }

    [Fact]
    public void CorrectCountsArgmaxMatches()
    {
        Assert.Equal(2, CapsuleLoss.Correct(Lengths(), Labels()));
        Assert.Equal(0, CapsuleLoss.Correct(Lengths(), tensor(new long[] { 1, 0 })));
    }
}
