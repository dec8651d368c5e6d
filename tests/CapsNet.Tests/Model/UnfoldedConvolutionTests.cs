using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

public sealed class UnfoldedConvolutionTests
{
    [Fact]
    public void GradientsMatchAHandComputedConvolution()
    {
        // x = 1..9 in a 3x3 grid, w = [[1, 0], [0, -1]], b = 0.5, stride 1: out[i,j] = x[i,j] - x[i+1,j+1] + 0.5 = -3.5
        // everywhere. With d out = 1: d w[a,b] = sum of the 2x2 window at (a,b) (12, 16, 24, 28), d b = 4 positions, and
        // d x[p] = sum of the taps that read p.
        using var x = tensor(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }).view(1, 1, 3, 3).requires_grad_();
        using var w = tensor(new float[] { 1, 0, 0, -1 }).view(1, 1, 2, 2).requires_grad_();
        using var b = tensor(new float[] { 0.5f }).requires_grad_();

        using Tensor output = UnfoldedConvolution.Apply(x, w, b, stride: 1);
        output.sum().backward();

        Assert.Equal(new float[] { -3.5f, -3.5f, -3.5f, -3.5f }, output.data<float>().ToArray());
        Assert.Equal(new float[] { 12, 16, 24, 28 }, w.grad!.data<float>().ToArray());
        Assert.Equal(new float[] { 4 }, b.grad!.data<float>().ToArray());
        Assert.Equal(new float[] { 1, 1, 0, 1, 0, -1, 0, -1, -1 }, x.grad!.contiguous().data<float>().ToArray());
    }

    [Fact]
    public void StrideTwoGradientOfTheInputTilesTheKernel()
    {
        // A 2x2 kernel at stride 2 on a 4x4 input reads every pixel exactly once: with d out = 1, d x is the kernel,
        // repeated over the four windows.
        using var x = ones(1, 1, 4, 4).requires_grad_();
        using var w = tensor(new float[] { 1, 2, 3, 4 }).view(1, 1, 2, 2).requires_grad_();
        using var b = zeros(1).requires_grad_();

        UnfoldedConvolution.Apply(x, w, b, stride: 2).sum().backward();

        Assert.Equal(new float[] { 1, 2, 1, 2, 3, 4, 3, 4, 1, 2, 1, 2, 3, 4, 3, 4 }, x.grad!.contiguous().data<float>().ToArray());
        Assert.Equal(new float[] { 4, 4, 4, 4 }, w.grad!.data<float>().ToArray());
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1e-5)]
    // Against float64 on the same bfloat16-rounded inputs: each product is rounded once (2^-9), and a pixel's input
    // gradient sums up to 4 overlapping patch rows, each rounded (at most 4 x 2^-9 = 0.8%); 1% would still catch a
    // gradient in the wrong place or of the wrong size.
    [InlineData(ScalarType.BFloat16, 1e-2)]
    public void MatchesConv2dInValuesAndGradients(ScalarType dtype, double tolerance)
    {
        // The primary capsules' case in small, and harder: several channels, stride 2, a height and a width that
        // differ, a last row and column no window reads, and an input laid out channels-last at an offset into its
        // storage (the second and third of three images).
        using var generator = new Generator(7);
        using var x64 = randn([3, 12, 13, 3], ScalarType.Float64, generator: generator);
        using var w64 = randn([4, 3, 3, 3], ScalarType.Float64, generator: generator);
        using var b64 = randn([4], ScalarType.Float64, generator: generator);
        using var up64 = randn([2, 4, 5, 6], ScalarType.Float64, generator: generator);
        Tensor x = x64.to_type(dtype).permute(0, 3, 1, 2)[1..], w = Leaf(w64, dtype), b = Leaf(b64, dtype);  // x: [2,3,12,13]
        Assert.True(x.storage_offset() > 0 && x.stride(1) == 1, "the input is meant to be channels-last at an offset");

        var (expected, expectedGrads) = Run(Leaf(x, ScalarType.Float64), Leaf(w, ScalarType.Float64), Leaf(b, ScalarType.Float64),
            up64, (x, w, b) => nn.functional.conv2d(x, w, b, strides: [2, 2]));
        var (actual, actualGrads) = Run(x, w, b, up64.to_type(dtype), (x, w, b) => UnfoldedConvolution.Apply(x, w, b, stride: 2));

        Assert.Equal(dtype, actual.dtype);
        AssertClose(expected, actual, tolerance, "output");
        string[] names = ["input gradient", "weight gradient", "bias gradient"];
        for (int i = 0; i < names.Length; i++)
            AssertClose(expectedGrads[i], actualGrads[i], tolerance, names[i]);
    }

    [Fact]
    public void AKernelThatIsNotSquareIsRefused()
    {
        using var x = ones(1, 1, 4, 4);
        using var w = ones(1, 1, 2, 3);
        using var b = zeros(1);

        var error = Assert.Throws<ArgumentException>(() => UnfoldedConvolution.Apply(x, w, b, stride: 1));

        Assert.StartsWith("The kernel must be square; it is 2x3.", error.Message);
    }

    [Fact]
    public void AnInputThatNeedsNoGradientGetsNone()
    {
        // Like the images fed to a network: nothing asks for their gradient, so none is returned.
        using var x = ones(1, 1, 3, 3);
        using var w = ones(1, 1, 2, 2).requires_grad_();
        using var b = zeros(1).requires_grad_();

        UnfoldedConvolution.Apply(x, w, b, stride: 1).sum().backward();

        Assert.Null(x.grad);
        Assert.Equal(new float[] { 4, 4, 4, 4 }, w.grad!.data<float>().ToArray());
    }

    // A tensor of its own, without autograd history, in dtype.
    private static Tensor Leaf(Tensor tensor, ScalarType dtype) => tensor.detach().to_type(dtype);

    private static (Tensor Output, Tensor[] Grads) Run(Tensor x, Tensor w, Tensor b, Tensor upstream, Func<Tensor, Tensor, Tensor,
        Tensor> convolve)
    {
        x.requires_grad_();
        w.requires_grad_();
        b.requires_grad_();
        Tensor output = convolve(x, w, b);
        output.backward([upstream]);
        return (output.detach(), [x.grad!, w.grad!, b.grad!]);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        using Tensor want = expected.to_type(ScalarType.Float64), got = actual.to_type(ScalarType.Float64);
        Assert.Equal(want.shape, got.shape);
        double error = (got - want).abs().max().item<double>(), scale = want.abs().max().item<double>();
        Assert.True(error <= tolerance * scale, $"{what}: largest error {error:G3} against {tolerance * scale:G3} allowed");
    }
}
