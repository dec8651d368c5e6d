using CapsNet.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CapsNet.Tests.Training;

public sealed class KerasAdamTests
{
    [Fact]
    public void FirstStepMovesEachWeightByTheLearningRateAgainstItsGradient()
    {
        // m = 0.1 g, v = 0.001 g^2, lr_t = 0.001 sqrt(0.001) / 0.1 = 3.16227766e-4;
        // update = lr_t * 0.1 g / (sqrt(0.001) |g| + 1e-7), which is 0.001 sign(g) up to eps.
        float[] moved = StepOnce([1.0f, -2.0f], [0.5f, -0.1f], lr: 0.001);
        Assert.Equal(1.0 - 0.00099999368, moved[0], 6);   // 0.05 / (0.0158113883 + 1e-7) * lr_t
        Assert.Equal(-2.0 + 0.00099996838, moved[1], 6);  // float32 spacing near 2 is 2.4e-7  // 0.01 / (0.00316227766 + 1e-7) * lr_t
    }

    [Fact]
    public void AddsEpsilonBeforeTheBiasCorrectionAsKerasDoes()
    {
        // g = 1e-6: sqrt(v) = 3.16227766e-8, so eps matters. Keras: lr_t * 1e-7 / (3.16227766e-8 + 1e-7)
        // = 3.16227766e-4 * 0.759746926 = 2.40253e-4. PyTorch's placement would move it by 9.0909e-4.
        float[] moved = StepOnce([0.0f], [1e-6f], lr: 0.001);
        Assert.Equal(-2.40253e-4, moved[0], 8);
    }

    [Fact]
    public void SecondStepUsesBothMomentsWithTheirBiasCorrection()
    {
        var parameter = new Parameter(tensor(new[] { 0.0f }));
        using var adam = new KerasAdam([parameter], lr: 0.01);
        parameter.grad = tensor(new[] { 1.0f });
        adam.step();
        parameter.grad = tensor(new[] { -1.0f });
        adam.step();
        // Step 1: m = 0.1, v = 0.001, lr_t = 0.01 * sqrt(0.001) / 0.1 = 3.16227766e-3,
        //         p = -lr_t * 0.1 / (0.0316227766 + 1e-7) = -9.9999684e-3.
        // Step 2: m = 0.09 - 0.1 = -0.01, v = 0.000999 + 0.001 = 0.001999,
        //         lr_t = 0.01 * sqrt(0.001999) / 0.19 = 2.3531673e-3, p += lr_t * 0.01 / (0.0447101778 + 1e-7) = 5.263146e-4.
        Assert.Equal(-9.9999684e-3 + 5.263146e-4, parameter.item<float>(), 7);
    }

    private static float[] StepOnce(float[] weights, float[] gradient, double lr)
    {
        var parameter = new Parameter(tensor(weights));
        using var adam = new KerasAdam([parameter], lr);
        parameter.grad = tensor(gradient);
        adam.step();
        return parameter.data<float>().ToArray();
    }
}
