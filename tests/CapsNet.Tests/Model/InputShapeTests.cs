using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

/// <summary>The network sized from the data: channels, side and classes, with capsule counts computed by hand.</summary>
public sealed class InputShapeTests
{
    // Side 32: conv1 (9x9, stride 1) gives 24; primary (9x9, stride 2) gives (24-9)/2+1 = 8; 8*8*32 = 2048 capsules.
    // Side 40: 32, then (32-9)/2+1 = 12; 12*12*32 = 4608 capsules.
    [Theory]
    [InlineData(3, 32, 10, 24, 8, 2048)]
    [InlineData(1, 40, 5, 32, 12, 4608)]
    public void ForwardAndBackwardHaveTheHandComputedShapes(int channels, int side, int classes, int conv1Side, int grid, int capsules)
    {
        var config = new CapsNetConfig(channels, side, classes);
        using var model = new CapsuleNetwork(config, new Generator(1));
        using var x = rand([4, channels, side, side], generator: new Generator(2));
        using var y = tensor(new long[] { 0, 1, classes - 1, 2 });

        Assert.Equal((conv1Side, grid, capsules), (config.Conv1Side, config.PrimaryGridSide, config.PrimaryCapsuleCount));
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal([256, channels, 9, 9], shapes["conv1.weight"]);
        Assert.Equal([classes, capsules, 16, 8], shapes["digit_caps.weight"]);
        Assert.Equal([512, classes * 16], shapes["decoder.0.weight"]);
        Assert.Equal([channels * side * side, 1024], shapes["decoder.4.weight"]);

        var (lengths, reconstruction) = model.forward(x, y);
        Assert.Equal([4, classes], lengths.shape);
        Assert.Equal([4, channels, side, side], reconstruction.shape);
        Tensor loss = CapsuleLoss.Total(CapsuleLoss.Margin(lengths, y), CapsuleLoss.Reconstruction(x, reconstruction), 0.392);
        loss.backward();
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.True(parameter.grad is not null, $"{name} got no gradient");
            Assert.Equal(parameter.shape, parameter.grad!.shape);
            Assert.True(parameter.grad.abs().sum().item<float>() > 0, $"{name}'s gradient is all zero");
        }
    }

    [Fact]
    public void ASideTooSmallForTheTwoConvolutionsIsRefusedWithTheSmallestThatWorks()
    {
        var error = Assert.Throws<ImageTooSmallException>(() => new CapsuleNetwork(new CapsNetConfig(InputSide: 16)));

        Assert.Equal("Images of side 16 are too small for CapsNet's two 9x9 convolutions: the smallest side is 17.", error.Message);
        using var smallest = new CapsuleNetwork(new CapsNetConfig(InputSide: 17));
        Assert.Equal(32, smallest.Config.PrimaryCapsuleCount);  // a 1x1 grid of 32 capsules
    }

    [Theory]
    [InlineData(2, 10, null, "CapsNet takes grey (1 channel) or colour (3 channel) images, not 2 channels.")]
    [InlineData(1, 1, null, "CapsNet needs at least 2 classes, got 1.")]
    [InlineData(1, 3, new[] { "a", "b" }, "2 class names given for 3 classes.")]
    [InlineData(1, 3, new[] { "a", "b", "a" }, "The class name 'a' is given 2 times.")]
    public void AConfigThatBuildsNoNetworkIsRefusedWithWhy(int channels, int classes, string[]? names, string expected)
    {
        var error = Assert.Throws<UserInputException>(() => new CapsNetConfig(channels, 28, classes, ClassNames: names).Validate());

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void TwoClassesAreEnough()
    {
        using var network = new CapsuleNetwork(new CapsNetConfig(Classes: 2, ClassNames: ["no", "yes"]));

        Assert.Equal(["no", "yes"], network.Config.Names);
    }
}
