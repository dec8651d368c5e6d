using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

public sealed class CapsuleNetworkTests
{
    public static readonly string[] DocumentedNames =
    [
        "conv1.weight", "conv1.bias", "primary_caps.weight", "primary_caps.bias", "digit_caps.weight",
        "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias", "decoder.4.weight", "decoder.4.bias",
    ];

    private static CapsuleNetwork Build(int seed = 1)
    {
        return new CapsuleNetwork(CapsNetConfig.Mnist, new Generator((ulong)seed));
    }

    [Fact]
    public void HasTheReferencesParameterCountAndNames()
    {
        using var model = Build();

        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

        Assert.Equal(8_215_568, model.parameters().Sum(p => p.numel()));
        Assert.Equal(DocumentedNames, shapes.Keys);
        Assert.Equal(DocumentedNames, model.state_dict().Keys);
        Assert.Equal([10, 1152, 16, 8], shapes["digit_caps.weight"]);
        Assert.Equal([256, 256, 9, 9], shapes["primary_caps.weight"]);
        Assert.Equal([784, 1024], shapes["decoder.4.weight"]);
    }

    [Theory]
    [InlineData("conv1.weight", 0.0169772)]
    [InlineData("primary_caps.weight", 0.0120281)]
    [InlineData("digit_caps.weight", 0.00465847)]
    [InlineData("decoder.0.weight", 0.0944911)]
    [InlineData("decoder.2.weight", 0.0625)]
    [InlineData("decoder.4.weight", 0.0576072)]
    public void WeightsAreGlorotUniformWithKerasFans(string name, double limit)
    {
        using var model = Build();
        Tensor weight = model.named_parameters().Single(p => p.name == name).parameter;

        double max = weight.abs().max().item<float>();
        double mean = weight.mean().item<float>();

        Assert.InRange(max, 0.99 * limit, limit * (1 + 1e-5));  // the reference rounds its limits to 6 digits
        Assert.InRange(mean, -0.05 * limit, 0.05 * limit);
    }

    [Fact]
    public void BiasesStartAtZero()
    {
        using var model = Build();

        foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.EndsWith("bias")))
            Assert.True(parameter.count_nonzero().item<long>() == 0, name);
    }

    [Fact]
    public void SameSeedGivesTheSameWeights()
    {
        using var a = Build(seed: 7);
        using var b = Build(seed: 7);
        using var c = Build(seed: 8);

        Tensor Weight(CapsuleNetwork m) => m.named_parameters().Single(p => p.name == "digit_caps.weight").parameter;
        Assert.True(Weight(a).equal(Weight(b)).all().item<bool>());
        Assert.False(Weight(a).equal(Weight(c)).all().item<bool>());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void OutputShapesFollowTheBatch(int batch)
    {
        using var model = Build();
        using var x = rand(batch, 1, 28, 28);

        var (lengths, reconstruction) = model.forward(x, null);

        Assert.Equal([batch, 10], lengths.shape);
        Assert.Equal([batch, 1, 28, 28], reconstruction.shape);
        Assert.Equal([batch, 10, 16], model.Encode(x).shape);
        Assert.InRange(lengths.max().item<float>(), 0f, 1f);
    }

    [Fact]
    public void DecoderSeesOnlyTheMaskedCapsule()
    {
        using var model = Build();
        using var capsules = randn(1, 10, 16);
        using var changed = capsules.clone();
        changed[0, 3] = randn(16);
        using var maskClass5 = nn.functional.one_hot(tensor(new long[] { 5 }), 10);
        using var maskClass3 = nn.functional.one_hot(tensor(new long[] { 3 }), 10);

        using var noGrad = no_grad();
        Assert.True(model.Decode(capsules, maskClass5).equal(model.Decode(changed, maskClass5)).all().item<bool>());
        Assert.False(model.Decode(capsules, maskClass3).equal(model.Decode(changed, maskClass3)).all().item<bool>());
    }

    [Fact]
    public void WithoutLabelsTheMaskIsThePredictedClass()
    {
        using var model = Build();
        using var x = rand(3, 1, 28, 28);
        using var noGrad = no_grad();

        var (lengths, reconstruction) = model.forward(x, null);
        var (_, withPredicted) = model.forward(x, lengths.argmax(1));

        Assert.True(reconstruction.allclose(withPredicted));
    }

    [Fact]
    public void GradientsReachEveryLayer()
    {
        using var model = Build();
        using var x = rand(2, 1, 28, 28);
        using var labels = tensor(new long[] { 3, 8 });

        var (lengths, reconstruction) = model.forward(x, labels);
        using var loss = CapsuleLoss.Total(CapsuleLoss.Margin(lengths, labels), CapsuleLoss.Reconstruction(x, reconstruction), 0.392);
        loss.backward();

        foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.EndsWith("weight")))
        {
            Assert.NotNull(parameter.grad);
            Assert.True(parameter.grad.abs().sum().item<float>() > 0, $"{name} got no gradient");
        }
    }

    [Fact]
    public void Bf16ComputesCloseToFp32WithFloat32WeightsAndGradients()
    {
        using var model = Build();
        using var x = rand(4, 1, 28, 28);
        using var labels = tensor(new long[] { 1, 2, 3, 4 });
        var (exactLengths, exactImages) = model.forward(x, labels);
        double scale = exactLengths.abs().max().item<float>();

        model.Precision = Precision.Bf16;
        var (lengths, images) = model.forward(x, labels);
        using var loss = CapsuleLoss.Total(CapsuleLoss.Margin(lengths, labels), CapsuleLoss.Reconstruction(x, images), 0.392);
        loss.backward();

        Assert.Equal(ScalarType.Float32, lengths.dtype);
        Assert.Equal(ScalarType.Float32, images.dtype);
        // bfloat16 keeps 8 bits of mantissa: a few parts in a hundred after three layers.
        Assert.True((lengths - exactLengths).abs().max().item<float>() < 0.05 * scale);
        Assert.True((images - exactImages).abs().max().item<float>() < 0.02);
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            if (name.EndsWith("weight"))
                Assert.True(parameter.grad!.dtype == ScalarType.Float32 && parameter.grad.abs().sum().item<float>() > 0, name);
        }
    }

    [Fact]
    public void RoutingCountMustBePositive()
    {
        var error = Assert.Throws<UserInputException>(() => new CapsuleNetwork(new CapsNetConfig(Routings: 0)));

        Assert.Equal("routings must be from 1 to 20, got 0.", error.Message);
        Assert.Equal("routings must be from 1 to 20, got 21.",
            Assert.Throws<UserInputException>(() => new CapsuleNetwork(new CapsNetConfig(Routings: 21))).Message);
    }

    [Fact]
    public void SummaryIsKerasTableOfLayersShapesAndParameters()
    {
        using var model = Build();

        // The parameter counts: conv1 256*(9*9+1); primary_caps 256*(256*81+1); digit_caps 10*1152*16*8;
        // decoder 160*512+512 + 512*1024+1024 + 1024*784+784. They add up to the total.
        Assert.Equal("""
            ____________________________________________________________________
            Layer (type)                      Output Shape               Param #
            ====================================================================
            input (Input)                     (None, 1, 28, 28)                0
            conv1 (Conv2d, ReLU)              (None, 256, 20, 20)         20,992
            primary_caps (Conv2d)             (None, 256, 6, 6)        5,308,672
            primary_caps (Reshape, Squash)    (None, 1152, 8)                  0
            digit_caps (Routing x3)           (None, 10, 16)           1,474,560
            capsnet (Length)                  (None, 10)                       0
            mask (Mask)                       (None, 160)                      0
            decoder (Dense x3)                (None, 1, 28, 28)        1,411,344
            ====================================================================
            Total params: 8,215,568
            Trainable params: 8,215,568
            Non-trainable params: 0
            ____________________________________________________________________
            """, ModelSummary.Format(model));
    }
}
