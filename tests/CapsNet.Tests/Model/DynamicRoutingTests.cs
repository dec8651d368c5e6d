using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

public sealed class DynamicRoutingTests
{
    private const int B = 2, J = 3, I = 4, D = 5;

    private static Tensor RandomPredictions(int seed)
    {
        using var generator = new Generator((ulong)seed);
        return randn([B, J, I, D], ScalarType.Float64, generator: generator);
    }

    // Procedure 1 of the paper written out with plain loops, independent of the code under test.
    private static double[,,] RouteByHand(double[,,,] uHat, int iterations)
    {
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

    private static double[,,,] ToArray(Tensor t)
    {
        double[] flat = t.data<double>().ToArray();
        var result = new double[B, J, I, D];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MatchesTheProcedureWrittenAsLoops(int iterations)
    {
        using var uHat = RandomPredictions(seed: 10 + iterations);

        using var v = DynamicRouting.Route(uHat, iterations);
        double[,,] expected = RouteByHand(ToArray(uHat), iterations);

        Assert.Equal([B, J, D], v.shape);
        double[] actual = v.data<double>().ToArray();
        for (int k = 0; k < actual.Length; k++)
            Assert.Equal(expected[k / (J * D), k / D % J, k % D], actual[k], 12);
    }

    [Fact]
    public void OneIterationCouplesEveryInputEquallyToEveryParent()
    {
        using var uHat = RandomPredictions(seed: 3);

        using var v = DynamicRouting.Route(uHat, 1);
        using var expected = Capsules.Squash(uHat.sum(2) / J);  // c = 1/J for every (i, j)

        Assert.True(v.allclose(expected, rtol: 0, atol: 1e-12));
    }

    [Fact]
    public void GradientFlowsThroughEveryIteration()
    {
        // If the agreement term were cut from the graph, autograd would disagree with the finite difference.
        using var uHat = RandomPredictions(seed: 5).requires_grad_();
        using var weights = RandomPredictions(seed: 6)[.., .., 0, ..];
        Func<Tensor, double> objective = u => (DynamicRouting.Route(u, 3) * weights).sum().item<double>();

        using (var loss = (DynamicRouting.Route(uHat, 3) * weights).sum())
            loss.backward();
        double analytic = uHat.grad!.data<double>()[7];

        const double h = 1e-6;
        using var noGrad = no_grad();
        using var plus = uHat.clone();
        using var minus = uHat.clone();
        plus.view(-1)[7].add_(h);
        minus.view(-1)[7].sub_(h);
        double numeric = (objective(plus) - objective(minus)) / (2 * h);

        Assert.Equal(numeric, analytic, 7);
    }

    // The same procedure with plain broadcast operations, differentiated by autograd.
    private static Tensor RouteWithAutograd(Tensor uHat, int iterations)
    {
        Tensor logits = zeros([B, J, I], ScalarType.Float64);
        Tensor v = null!;
        for (int it = 0; it < iterations; it++)
        {
            Tensor c = logits.softmax(1);
            Tensor s = (c.unsqueeze(-1) * uHat).sum(2);
            Tensor n2 = s.square().sum(-1, keepdim: true);
            v = n2 / (1 + n2) / (n2 + 1e-7).sqrt() * s;
            if (it < iterations - 1)
                logits = logits + (v.unsqueeze(2) * uHat).sum(-1);
        }
        return v;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void HandWrittenGradientMatchesAutograd(int iterations)
    {
        using var weights = RandomPredictions(seed: 20)[.., .., 0, ..];
        using var fast = RandomPredictions(seed: 21).requires_grad_();
        using var reference = RandomPredictions(seed: 21).requires_grad_();

        (DynamicRouting.Route(fast, iterations) * weights).sum().backward();
        (RouteWithAutograd(reference, iterations) * weights).sum().backward();

        Assert.True(fast.grad!.allclose(reference.grad!, rtol: 1e-9, atol: 1e-12));
        Assert.True(fast.grad!.abs().max().item<double>() > 1e-3);
    }

    [Fact]
    public void RejectsZeroIterations()
    {
        using var uHat = RandomPredictions(seed: 1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DynamicRouting.Route(uHat, 0));
        Assert.Equal("iterations", error.ParamName);  // the check itself, not an index error further on
    }
}
