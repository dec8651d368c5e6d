using CapsNet.Training;

namespace CapsNet.Tests.Training;

public sealed class LearningRateTests
{
    [Theory]
    [InlineData(0, 0.001)]
    [InlineData(1, 0.0009)]
    [InlineData(9, 0.000387420489)]       // 0.001 * 0.9^9
    [InlineData(49, 5.7264168970223e-6)]  // 0.001 * 0.9^49
    public void DecaysGeometricallyFromTheFirstEpoch(int epoch, double expected)
    {
        Assert.Equal(expected, LearningRate.At(0.001, 0.9, epoch), 12);
    }
}
