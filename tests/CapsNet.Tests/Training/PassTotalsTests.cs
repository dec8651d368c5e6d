using CapsNet.Training;

namespace CapsNet.Tests.Training;

public sealed class PassTotalsTests
{
    [Fact]
    public void EpochFiguresAreBatchMeansWeightedByBatchSize()
    {
        var totals = new PassTotals();
        totals.Add(samples: 100, correct: 90, margin: 0.2, reconstruction: 0.05, loss: 0.3);
        totals.Add(samples: 50, correct: 30, margin: 0.5, reconstruction: 0.08, loss: 0.6);

        Assert.Equal((150, 120), (totals.Samples, totals.Correct));
        Assert.Equal(0.8, totals.Accuracy, 12);  // 120 / 150
        Assert.Equal(0.3, totals.Margin, 12);  // (100 * 0.2 + 50 * 0.5) / 150 = 45 / 150
        Assert.Equal(0.06, totals.Reconstruction, 12);  // (5 + 4) / 150
        Assert.Equal(0.4, totals.Loss, 12);  // (30 + 30) / 150
    }

    [Fact]
    public void AnEmptyPassHasZeroFiguresNotNaN()
    {
        var totals = new PassTotals();

        Assert.Equal((0.0, 0.0, 0.0, 0.0), (totals.Accuracy, totals.Margin, totals.Reconstruction, totals.Loss));
    }
}
