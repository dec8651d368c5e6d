using System.Text.RegularExpressions;
using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

public sealed class MemoryPlanTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<int, int, int> Shapes => new() { { 1, 28, 10 }, { 3, 32, 5 }, { 1, 40, 2 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TheSizesAreTheNetworksOwn(int channels, int side, int classes)
    {
        var config = new CapsNetConfig(InputChannels: channels, InputSide: side, Classes: classes);
        using var model = new CapsuleNetwork(config, new Generator(1));

        NetworkSizes sizes = MemoryPlan.Sizes(config);

        Assert.Equal(model.parameters().Sum(p => p.numel()), sizes.Parameters);
        Assert.Equal(config.PrimaryCapsuleCount, sizes.PrimaryCapsules);
        Assert.Equal(model.state_dict()["digit_caps.weight"].numel() / config.PrimaryCapsuleDim, sizes.Predictions);
        Assert.Equal($"{channels}x{side}x{side}", sizes.ImageShape);
    }

    [Fact]
    public void TrainingAddsGradientsAndAdamsMomentsAndActivationsGrowWithTheBatch()
    {
        NetworkSizes mnist = MemoryPlan.Sizes(CapsNetConfig.Mnist);

        MemoryEstimate train = MemoryPlan.Estimate(mnist, 100, training: true, Precision.Fp32);
        MemoryEstimate test = MemoryPlan.Estimate(mnist, 100, training: false, Precision.Fp32);
        MemoryEstimate twice = MemoryPlan.Estimate(mnist, 200, training: true, Precision.Fp32);

        Assert.Equal(8_215_568L * 4, train.ParameterBytes);  // the paper's 8.2 M float32 weights
        Assert.Equal(3 * train.ParameterBytes, train.OptimizerBytes);
        Assert.Equal(0, test.OptimizerBytes);
        Assert.InRange(twice.ActivationBytes, 2 * train.ActivationBytes - 1, 2 * train.ActivationBytes + 1);
        Assert.True(test.ActivationBytes < train.ActivationBytes);
        // u_hat [100,10,1152,16] in float32 is 70 MiB; forward holds it twice, a training step more.
        long uHat = 100L * 10 * 1152 * 16 * 4;
        Assert.InRange(test.ActivationBytes, 2 * uHat, 8 * uHat);
        // Measured peaks (bench/CapsNet.MemoryBench): 708 MiB for this training step, 486 MiB for this test step.
        Assert.InRange(train.TotalBytes, 708L << 20, (long)(1.3 * (708L << 20)));
        Assert.InRange(test.TotalBytes, 486L << 20, (long)(1.3 * (486L << 20)));
    }

    [Fact]
    public void ANetworkForLargeImagesIsTooLargeInOneSentenceNamingTheSize()
    {
        NetworkSizes large = MemoryPlan.Sizes(new CapsNetConfig(InputChannels: 3, InputSide: 1000));
        MemoryEstimate estimate = MemoryPlan.Estimate(large, 100, training: true, Precision.Fp32);

        string? message = MemoryPlan.TooLarge(estimate, large, 100, training: true, limitBytes: 23L << 30);

        Match match = Regex.Match(message ?? "",
            @"^A network for 3x1000x1000 images needs about (\d\.\d) TB for a training step at batch size 100; this machine has 23 GB\.$");
        Assert.True(match.Success, message);
        // I = 492*492*32 capsules: u_hat [100,10,I,16] in float32 alone is 462 GiB, and forward holds it twice.
        double uHatTiB = 100.0 * 10 * 492 * 492 * 32 * 16 * 4 / (1L << 40);
        Assert.InRange(double.Parse(match.Groups[1].Value), 2 * uHatTiB, 8 * uHatTiB);
        Assert.Null(MemoryPlan.TooLarge(estimate, large, 100, training: true, limitBytes: estimate.TotalBytes));
        Assert.Equal("A network for 3x1000x1000 images needs about 33 GB for a test-mode step at batch size 1; the limit is 16 GB.",
            MemoryPlan.TooLarge(estimate with { ActivationBytes = (33L << 30) - estimate.ParameterBytes - estimate.RuntimeBytes,
                OptimizerBytes = 0 },
                large, 1, training: false, 16L << 30, "the limit is"));
    }

    [Fact]
    public void TheMachinesMemoryIsMemAvailableElseMemTotal()
    {
        string both = _dir.File("both"), totalOnly = _dir.File("total");
        File.WriteAllText(both, "MemTotal:       24560000 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\n");
        File.WriteAllText(totalOnly, "MemTotal:       24560000 kB\nMemFree:         1000000 kB\n");

        Assert.Equal(20_000_000L * 1024, MemoryPlan.AvailableBytes(both));
        Assert.Equal(24_560_000L * 1024, MemoryPlan.AvailableBytes(totalOnly));
        Assert.True(MemoryPlan.AvailableBytes(_dir.File("absent")) > 0, "without /proc/meminfo, what .NET knows");
        Assert.InRange(MemoryPlan.AvailableBytes()!.Value, 1L << 28, 1L << 50);
    }

    [Theory]
    [InlineData(23L << 30, "23 GB")]
    [InlineData((3L << 30) / 2, "1.5 GB")]
    [InlineData(512L << 20, "512 MB")]
    [InlineData(412L << 30, "412 GB")]
    [InlineData(2556L << 30, "2.5 TB")]
    public void SizesAreWrittenInGigabytesOrMegabytes(long bytes, string written) =>
        Assert.Equal(written, MemoryPlan.Size(bytes));
}
