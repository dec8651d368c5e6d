using CapsNet.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

public sealed class DynamicRoutingTests
{
    private const int B = 2, J = 3, I = 4, K = 3, D = 5;

    // Layouts by name: the enum is internal, and public test methods cannot take it.
    private const string ByPair = nameof(PredictionLayout.ByPair), ByImage = nameof(PredictionLayout.ByImage);

    public static TheoryData<int, string> IterationsAndLayouts()
    {
        var data = new TheoryData<int, string>();
        foreach (int iterations in new[] { 1, 2, 3 })
        {
            data.Add(iterations, ByPair);
            data.Add(iterations, ByImage);
        }
        return data;
    }

    private static Tensor Random(long[] shape, int seed)
    {
        using var generator = new Generator((ulong)seed);
        return randn(shape, ScalarType.Float64, generator: generator);
    }

    private static Tensor Route(Tensor u, Tensor w, int iterations, string layout) =>
        DynamicRouting.Route(u, PlainRouting.PerInput(w), (int)w.shape[0], iterations, Enum.Parse<PredictionLayout>(layout));

    // Procedure 1 of the paper written out with plain loops, from u_hat = W u, independent of the code under test.
    private static double[,,] RouteByHand(double[,,] u, double[,,,] w, int iterations)
    {
        var uHat = new double[B, J, I, D];
        for (int b = 0; b < B; b++)
            for (int j = 0; j < J; j++)
                for (int i = 0; i < I; i++)
                    for (int d = 0; d < D; d++)
                        for (int k = 0; k < K; k++)
                            uHat[b, j, i, d] += w[j, i, d, k] * u[b, i, k];
        var logits = new double[B, J, I];
        var v = new double[B, J, D];
        for (int it = 0; it < iterations; it++)
        {
            for (int b = 0; b < B; b++)
            {
                var c = new double[J, I];
                for (int i = 0; i < I; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < J; j++)
                        sum += Math.Exp(logits[b, j, i]);
                    for (int j = 0; j < J; j++)
                        c[j, i] = Math.Exp(logits[b, j, i]) / sum;
                }
                for (int j = 0; j < J; j++)
                {
                    var s = new double[D];
                    for (int i = 0; i < I; i++)
                        for (int d = 0; d < D; d++)
                            s[d] += c[j, i] * uHat[b, j, i, d];
                    double n2 = s.Sum(x => x * x);
                    for (int d = 0; d < D; d++)
                        v[b, j, d] = n2 / (1 + n2) / Math.Sqrt(n2 + 1e-7) * s[d];
                }
            }
            if (it == iterations - 1)
                break;
            for (int b = 0; b < B; b++)
                for (int j = 0; j < J; j++)
                    for (int i = 0; i < I; i++)
                        for (int d = 0; d < D; d++)
                            logits[b, j, i] += v[b, j, d] * uHat[b, j, i, d];
        }
        return v;
    }

    private static Array ToArray(Tensor t, Array array)
    {
        double[] flat = t.contiguous().data<double>().ToArray();
        Buffer.BlockCopy(flat, 0, array, 0, flat.Length * sizeof(double));
        return array;
    }

    [Theory]
    [MemberData(nameof(IterationsAndLayouts))]
    public void MatchesTheProcedureWrittenAsLoops(int iterations, string layout)
    {
        using var u = Random([B, I, K], seed: 10 + iterations);
        using var w = Random([J, I, D, K], seed: 20 + iterations);

        using var v = Route(u, w, iterations, layout);
        double[,,] expected = RouteByHand(
            (double[,,])ToArray(u, new double[B, I, K]), (double[,,,])ToArray(w, new double[J, I, D, K]), iterations);

        Assert.Equal([B, J, D], v.shape);
        double[] actual = v.data<double>().ToArray();
        for (int n = 0; n < actual.Length; n++)
            Assert.Equal(expected[n / (J * D), n / D % J, n % D], actual[n], 12);
    }

    [Theory]
    [InlineData(ByPair)]
    [InlineData(ByImage)]
    public void OneIterationCouplesEveryInputEquallyToEveryParent(string layout)
    {
        using var u = Random([B, I, K], seed: 3);
        using var w = Random([J, I, D, K], seed: 4);

        using var v = Route(u, w, 1, layout);
        using var uHat = (w.unsqueeze(0) * u.view(B, 1, I, 1, K)).sum(-1);  // [B,J,I,D]
        using Scalar parents = J.ToScalar();
        using var expected = Capsules.Squash(uHat.sum(2) / parents);  // c = 1/J for every (i, j)

        Assert.True(v.allclose(expected, rtol: 0, atol: 1e-12));
    }

    [Theory]
    [InlineData(ByPair)]
    [InlineData(ByImage)]
    public void GradientFlowsThroughEveryIteration(string layout)
    {
        // If the agreement term were cut from the graph, autograd would disagree with the finite difference.
        using var u = Random([B, I, K], seed: 5);
        using var w = Random([J, I, D, K], seed: 6);
        using var weights = Random([B, J, D], seed: 7);
        var (_, gradU, gradW) = PlainRouting.Gradients((a, b) => Route(a, b, 3, layout), u, w, weights);

        double Objective(Tensor uu, Tensor ww) => (Route(uu, ww, 3, layout) * weights).sum().item<double>();
        double Numeric(Tensor x, int index, Func<Tensor, double> objective)
        {
            const double h = 1e-6;
            using Scalar step = h.ToScalar();
            using var plus = x.clone();
            using var minus = x.clone();
            plus.view(-1)[index].PlusInPlace(step);
            minus.view(-1)[index].sub_(step);
            return (objective(plus) - objective(minus)) / (2 * h);
        }

        using var noGrad = no_grad();
        Assert.Equal(Numeric(u, 7, uu => Objective(uu, w)), gradU.view(-1)[7].item<double>(), 7);
        Assert.Equal(Numeric(w, 11, ww => Objective(u, ww)), gradW.view(-1)[11].item<double>(), 7);
    }

    [Theory]
    [InlineData(1, ByPair)]
    [InlineData(2, ByPair)]
    [InlineData(3, ByPair)]
    [InlineData(5, ByPair)]
    [InlineData(1, ByImage)]
    [InlineData(2, ByImage)]
    [InlineData(3, ByImage)]
    [InlineData(5, ByImage)]
    public void HandWrittenGradientMatchesAutograd(int iterations, string layout)
    {
        using var u = Random([B, I, K], seed: 21);
        using var w = Random([J, I, D, K], seed: 22);
        using var weights = Random([B, J, D], seed: 20);

        var fast = PlainRouting.Gradients((a, b) => Route(a, b, iterations, layout), u, w, weights);
        var plain = PlainRouting.Gradients((a, b) => PlainRouting.Route(a, b, iterations), u, w, weights);

        Assert.True(fast.V.allclose(plain.V, rtol: 1e-9, atol: 1e-12));
        Assert.True(fast.GradU.allclose(plain.GradU, rtol: 1e-9, atol: 1e-12));
        Assert.True(fast.GradW.allclose(plain.GradW, rtol: 1e-9, atol: 1e-12));
        Assert.True(fast.GradU.abs().max().item<double>() > 1e-3);
        Assert.True(fast.GradW.abs().max().item<double>() > 1e-3);
    }

    [Fact]
    public void RejectsZeroIterations()
    {
        using var u = Random([B, I, K], seed: 1);
        using var w = Random([J, I, D, K], seed: 2);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Route(u, w, 0, ByPair));
        Assert.Equal("iterations", error.ParamName);  // the check itself, not an index error further on
    }
}
