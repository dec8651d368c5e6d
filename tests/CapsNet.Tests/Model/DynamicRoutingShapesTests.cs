using CapsNet.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

/// <summary>
/// The routing at the network's own sizes (MNIST: 10 classes, 1152 input capsules; and 3 classes, 2048 inputs),
/// against <see cref="PlainRouting"/>: outputs and the gradients of u and W.
/// </summary>
public sealed class DynamicRoutingShapesTests
{
    private const int Batch = 3, InputDim = 8, Dim = 16;

    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 10, 1152, 1 }, { 10, 1152, 2 }, { 10, 1152, 3 },
        { 3, 2048, 1 }, { 3, 2048, 2 }, { 3, 2048, 3 },
    };

    // Inputs at the trained network's scales: squashed capsules (|u| < 1), W of Glorot's order at these sizes.
    private static (Tensor U, Tensor W, Tensor Weights) Inputs(int classes, int inputs)
    {
        using var generator = new Generator(17);
        Tensor u = Capsules.Squash(randn([Batch, inputs, InputDim], ScalarType.Float64, generator: generator));
        using Scalar scale = 0.05.ToScalar();
        Tensor w = randn([classes, inputs, Dim, InputDim], ScalarType.Float64, generator: generator) * scale;
        Tensor weights = randn([Batch, classes, Dim], ScalarType.Float64, generator: generator);
        return (u, w, weights);
    }

    private static Func<Tensor, Tensor, Tensor> Routed(int iterations, PredictionLayout? layout = null) =>
        (u, w) => DynamicRouting.Route(u, PlainRouting.PerInput(w.to_type(u.dtype)), (int)w.shape[0], iterations, layout);

    /// <summary>Largest difference from <paramref name="expected"/>, over the largest magnitude of <paramref name="expected"/>.</summary>
    private static double Error(Tensor actual, Tensor expected) =>
        ((actual.to_type(ScalarType.Float64) - expected).abs().max() / expected.abs().max()).item<double>();

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BothLayoutsMatchThePlainFormulationInFloat64(int classes, int inputs, int iterations)
    {
        var (u, w, weights) = Inputs(classes, inputs);
        var plain = PlainRouting.Gradients((a, b) => PlainRouting.Route(a, b, iterations), u, w, weights);

        foreach (PredictionLayout layout in Enum.GetValues<PredictionLayout>())
        {
            var fast = PlainRouting.Gradients(Routed(iterations, layout), u, w, weights);
            Assert.True(Error(fast.V, plain.V) < 1e-12, $"{layout} v");
            Assert.True(Error(fast.GradU, plain.GradU) < 1e-12, $"{layout} d u");
            Assert.True(Error(fast.GradW, plain.GradW) < 1e-12, $"{layout} d W");
        }
    }

    /// <remarks>
    /// Against float64 on the same rounded u (the error of the routing, not of rounding its input). Float32 keeps
    /// about 7 digits: sums of 1152-2048 terms and a few iterations measured at most 1.3e-6 of the largest value,
    /// today's routing and this one alike; 1e-5 allows for the summation order of other machines' libraries.
    /// bfloat16 keeps 8 bits (unit roundoff 2^-9, about 2e-3), and u_hat, the couplings and the gradient's terms
    /// are each rounded once before their products, which accumulate in float32: measured at most 5.7e-3, the
    /// same as today's routing in bfloat16; 1.5e-2 (about 2^-6) is below the error of rounding to 7 bits.
    /// </remarks>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float32AndBfloat16StayWithinTheirPrecision(int classes, int inputs, int iterations)
    {
        var (u, w, weights) = Inputs(classes, inputs);
        foreach (var (dtype, tolerance) in new[] { (ScalarType.Float32, 1e-5), (ScalarType.BFloat16, 1.5e-2) })
        {
            Tensor rounded = u.to_type(dtype);
            var exact = PlainRouting.Gradients(
                (a, b) => PlainRouting.Route(a, b, iterations), rounded.to_type(ScalarType.Float64), w, weights);
            var fast = PlainRouting.Gradients(
                Routed(iterations), rounded, w.to_type(ScalarType.Float32), weights.to_type(ScalarType.Float32));

            Assert.Equal(dtype, fast.GradU.dtype);
            Assert.True(Error(fast.V, exact.V) < tolerance, $"{dtype} v: {Error(fast.V, exact.V)}");
            Assert.True(Error(fast.GradU, exact.GradU) < tolerance, $"{dtype} d u: {Error(fast.GradU, exact.GradU)}");
            Assert.True(Error(fast.GradW, exact.GradW) < tolerance, $"{dtype} d W: {Error(fast.GradW, exact.GradW)}");
        }
    }

    [Fact]
    public void Bfloat16PredictionsAreLaidOutByImageAndOthersByPair()
    {
        // The layouts are equal in float64 above; which one a dtype gets is what makes it fast (docs/performance.md).
        Assert.Equal(PredictionLayout.ByImage, PredictionLayouts.LayoutFor(ScalarType.BFloat16));
        Assert.Equal(PredictionLayout.ByPair, PredictionLayouts.LayoutFor(ScalarType.Float32));
    }
}
