using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

public sealed class PrimaryCapsulesTests
{
    [Fact]
    public void GroupingTakesEightConsecutiveChannelsAtOneGridPosition()
    {
        // Each conv output value encodes where it came from: channel*100 + row*10 + col.
        var values = new float[256 * 6 * 6];
        for (int ch = 0; ch < 256; ch++)
            for (int row = 0; row < 6; row++)
                for (int col = 0; col < 6; col++)
                    values[(ch * 6 + row) * 6 + col] = ch * 100 + row * 10 + col;
        using var conv = tensor(values, [1, 256, 6, 6]);

        using var capsules = PrimaryCapsules.Group(conv, capsuleDim: 8);

        Assert.Equal([1, 1152, 8], capsules.shape);
        (int Row, int Col, int Channel)[] probes = [(0, 0, 0), (0, 0, 9), (0, 1, 0), (2, 3, 255), (5, 5, 131)];
        foreach (var (row, col, channel) in probes)
        {
            int capsule = (row * 6 + col) * 32 + channel / 8;
            Assert.Equal(channel * 100 + row * 10 + col, capsules[0, capsule, channel % 8].item<float>());
        }
    }

    [Theory]
    [InlineData(28, 6, 1152)]
    [InlineData(32, 8, 2048)]
    public void GridAndCapsuleCountFollowFromTheInputSide(int inputSide, int grid, int capsules)
    {
        var config = new CapsNetConfig(InputSide: inputSide);

        Assert.Equal(grid, config.PrimaryGridSide);
        Assert.Equal(capsules, config.PrimaryCapsuleCount);
    }
}
