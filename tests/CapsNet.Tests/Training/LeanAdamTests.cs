using CapsNet.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CapsNet.Tests.Training;

public sealed class LeanAdamTests
{
    [Fact]
    public void FirstStepMovesEachWeightByTheLearningRateAgainstItsGradient()
    {
        // m = 0.1 g, v = 0.001 g^2; update = lr / 0.1 * 0.1 g / (sqrt(0.001 g^2) / sqrt(0.001) + 1e-7) = lr g / (|g| + 1e-7).
        float[] moved = StepOnce([1.0f, -2.0f], [0.5f, -0.1f], lr: 0.001);
        Assert.Equal(1.0 - 0.0009999998, moved[0], 6);
        Assert.Equal(-2.0 + 0.000999999, moved[1], 6);  // float32 spacing near 2 is 2.4e-7
    }

    [Fact]
    public void AParameterWithoutAGradientIsLeftAsItIs()
    {
        var still = new Parameter(tensor(new[] { 1.0f }));
        var moving = new Parameter(tensor(new[] { 1.0f }));
        using var adam = new LeanAdam([still, moving], lr: 0.001);
        moving.grad = tensor(new[] { 0.5f });

        adam.step();

        Assert.Equal(1.0f, still.item<float>());
        Assert.Equal(1.0 - 0.0009999998, moving.item<float>(), 6);
    }

    [Fact]
    public void AddsEpsilonAfterTheBiasCorrectionAsTorchSharpDoes()
    {
        // g = 1e-6, so eps matters: 0.001 / 0.1 * 1e-7 / (1e-6 + 1e-7) = 9.0909e-4. Keras, which adds eps
        // before the correction, would move it by 2.40253e-4.
        float[] moved = StepOnce([0.0f], [1e-6f], lr: 0.001);
        Assert.Equal(-9.0909e-4, moved[0], 8);
    }

    [Fact]
    public void SecondStepUsesBothMomentsWithTheirBiasCorrection()
    {
        var parameter = new Parameter(tensor(new[] { 0.0f }));
        using var adam = new LeanAdam([parameter], lr: 0.01);
        parameter.grad = tensor(new[] { 1.0f });
        adam.step();
        parameter.grad = tensor(new[] { -1.0f });
        adam.step();
        // Step 1: m = 0.1, v = 0.001, p = -0.01 / 0.1 * 0.1 / (1 + 1e-7) = -9.999999e-3.
        // Step 2: m = 0.09 - 0.1 = -0.01, v = 0.000999 + 0.001 = 0.001999, bias corrections 0.19 and 0.001999,
        //         p += 0.01 / 0.19 * 0.01 / (sqrt(0.001999 / 0.001999) + 1e-7) = 5.263157e-4.
        Assert.Equal(-9.999999e-3 + 5.263157e-4, parameter.item<float>(), 7);
    }

    [Fact]
    public void ZeroGradDropsTheGradients()
    {
        var parameter = new Parameter(tensor(new[] { 0.0f }));
        using var adam = new LeanAdam([parameter], lr: 0.01);
        parameter.grad = tensor(new[] { 1.0f });

        adam.zero_grad();

        Assert.Null(parameter.grad);
    }

    private static float[] StepOnce(float[] weights, float[] gradient, double lr)
    {
        var parameter = new Parameter(tensor(weights));
        using var adam = new LeanAdam([parameter], lr);
        parameter.grad = tensor(gradient);
        adam.step();
        return parameter.data<float>().ToArray();
    }
}
