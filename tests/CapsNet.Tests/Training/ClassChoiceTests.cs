using CapsNet.Training;

namespace CapsNet.Tests.Training;

/// <summary>--digit: a class by number or by name, and the reference's 5 when none is given.</summary>
public sealed class ClassChoiceTests
{
    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    private static readonly string[] Shapes = ["bar-horizontal", "bar-vertical", "square"];

    [Fact]
    public void NoneGivenIsFiveOrTheLastOfFewerClasses()
    {
        Assert.Equal(5, ClassChoice.Resolve(null, Digits));
        Assert.Equal(5, ClassChoice.Resolve(null, Digits[..6]));
        Assert.Equal(4, ClassChoice.Resolve(null, Digits[..5]));
        Assert.Equal(2, ClassChoice.Resolve(null, Shapes));
    }

    [Fact]
    public void AClassIsGivenByItsNumberOrByItsNameInAnyCase()
    {
        Assert.Equal(0, ClassChoice.Resolve("0", Shapes));
        Assert.Equal(2, ClassChoice.Resolve("2", Shapes));
        Assert.Equal(2, ClassChoice.Resolve("square", Shapes));
        Assert.Equal(1, ClassChoice.Resolve("Bar-Vertical", Shapes));
        // A number in range is a number; one past the last is looked for as a name.
        Assert.Equal(1, ClassChoice.Resolve("1", ["one", "1", "x"]));
        Assert.Equal(0, ClassChoice.Resolve("3", ["3", "b", "c"]));
    }

    [Theory]
    [InlineData("3", "3 is not a class of this model: give a number from 0 to 2 or a class name: bar-horizontal, bar-vertical, square.")]
    [InlineData("-1", "-1 is not a class of this model: give a number from 0 to 2 or a class name: bar-horizontal, bar-vertical, square.")]
    [InlineData("circle", "circle is not a class of this model: give a number from 0 to 2 or a class name: bar-horizontal, bar-vertical, " +
        "square.")]
    public void AnythingElseIsNamedWithTheClassesToChooseFrom(string given, string message)
    {
        Assert.Equal(message, Assert.Throws<UnknownClassException>(() => ClassChoice.Resolve(given, Shapes)).Message);
    }

    [Fact]
    public void MoreThanTwentyClassesAreNotListed()
    {
        string[] many = Enumerable.Range(0, 21).Select(i => $"c{i}").ToArray();

        Assert.Equal(20, ClassChoice.Resolve("c20", many));
        Assert.Equal("21 is not a class of this model: give a number from 0 to 20 or a class name.",
            Assert.Throws<UnknownClassException>(() => ClassChoice.Resolve("21", many)).Message);
        Assert.EndsWith("c19.", Assert.Throws<UnknownClassException>(() => ClassChoice.Resolve("x", many[..20])).Message);
    }
}
