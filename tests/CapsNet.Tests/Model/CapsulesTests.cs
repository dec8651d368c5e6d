using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

public sealed class CapsulesTests
{
    [Fact]
    public void SquashOfThreeFourScalesByNormSquaredOverOnePlusNormSquaredOverNorm()
    {
        // |s|^2 = 25: scale = 25 / 26 / sqrt(25 + 1e-7) = 0.19230769...
        using var s = tensor(new[] { 3f, 4f });

        float[] v = Capsules.Squash(s).data<float>().ToArray();

        Assert.Equal(3 * 25 / 26.0 / 5, v[0], 5);
        Assert.Equal(4 * 25 / 26.0 / 5, v[1], 5);
    }

    [Fact]
    public void SquashedNormStaysBelowOneAndZeroStaysFinite()
    {
        using var s = tensor(new float[,] { { 0, 0, 0 }, { 1000, -2000, 500 }, { 1e-4f, 0, 0 } });

        using var v = Capsules.Squash(s);
        float[] norms = v.Squared().sum(1).sqrt().data<float>().ToArray();

        Assert.All(v.data<float>().ToArray(), x => Assert.True(float.IsFinite(x)));
        Assert.Equal(0f, norms[0]);
        Assert.InRange(norms[1], 0.999f, 1f);
        // For tiny s the factor is ~|s|^2 / sqrt(|s|^2 + 1e-7): 1e-8 / sqrt(1.1e-7).
        Assert.Equal(1e-8 / Math.Sqrt(1.1e-7) * 1e-4, norms[2], 9);
    }

    [Fact]
    public void LengthAddsEpsilonInsideTheRoot()
    {
        using var v = tensor(new double[,] { { 0, 0 }, { 3, 4 }, { 1e-7, 0 } });

        double[] lengths = Capsules.Length(v).data<double>().ToArray();

        Assert.Equal(1e-7, lengths[0], 15);                    // sqrt(0 + 1e-14)
        Assert.Equal(5, lengths[1], 12);
        Assert.Equal(Math.Sqrt(1e-14 + 1e-14), lengths[2], 15);
    }

    [Fact]
    public void LengthGradientIsFiniteAtZeroAndNotFlattenedAtInitialisationScale()
    {
        using var v = tensor(new double[,] { { 0, 0 }, { 1e-6, 0 } }).requires_grad_();

        Capsules.Length(v).sum().backward();
        double[] grad = v.grad!.data<double>().ToArray();

        Assert.Equal([0, 0], grad[..2]);
        // d|v|/dv_0 = 1e-6 / sqrt(1e-12 + 1e-14): nearly 1, where an epsilon of 1e-7 would give 0.003.
        Assert.Equal(1e-6 / Math.Sqrt(1e-12 + 1e-14), grad[2], 12);
    }
}
