using CapsNet.Data;

namespace CapsNet.Tests.Data;

public sealed class ShiftAugmentationTests
{
    // A 4x4 image whose pixel (row, col) holds 1 + row*4 + col.
    private static float[] Numbered() => Enumerable.Range(1, 16).Select(v => (float)v).ToArray();

    [Fact]
    public void ShiftRightAndDownFillsTheVacatedEdgesWithZero()
    {
        var shifted = new float[16];

        ShiftAugmentation.Shift(Numbered(), shifted, side: 4, dx: 1, dy: 2);

        Assert.Equal(new float[]
        {
            0, 0, 0, 0,
            0, 0, 0, 0,
            0, 1, 2, 3,
            0, 5, 6, 7,
        }, shifted);
    }

    [Fact]
    public void ShiftLeftAndUp()
    {
        var shifted = new float[16];

        ShiftAugmentation.Shift(Numbered(), shifted, side: 4, dx: -2, dy: -1);

        Assert.Equal(new float[]
        {
            7, 8, 0, 0,
            11, 12, 0, 0,
            15, 16, 0, 0,
            0, 0, 0, 0,
        }, shifted);
    }

    [Fact]
    public void ZeroShiftCopiesAndAFullShiftEmpties()
    {
        var same = new float[16];
        var gone = Enumerable.Repeat(9f, 16).ToArray();

        ShiftAugmentation.Shift(Numbered(), same, side: 4, dx: 0, dy: 0);
        ShiftAugmentation.Shift(Numbered(), gone, side: 4, dx: 4, dy: 0);

        Assert.Equal(Numbered(), same);
        Assert.All(gone, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void DrawnShiftsStayWithinTheFractionOfTheSideAndCoverIt()
    {
        var random = new Random(1);

        int[] shifts = Enumerable.Range(0, 5000).Select(_ => ShiftAugmentation.Draw(random, 0.1, 28)).ToArray();

        Assert.Equal(-3, shifts.Min());  // 0.1 * 28 = 2.8 px, rounded to the nearest pixel
        Assert.Equal(3, shifts.Max());
        Assert.Equal(7, shifts.Distinct().Count());
    }

    [Fact]
    public void FractionZeroNeverShifts()
    {
        var random = new Random(1);

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(0, ShiftAugmentation.Draw(random, 0, 28)));
    }
}
