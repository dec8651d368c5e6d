using CapsNet.Model;

namespace CapsNet.Tests.Model;

public sealed class ConfigFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Weights => _dir.File("model.pt");

    private string Json => _dir.File("model.json");

    private string ReadError() => Assert.Throws<UserInputException>(() => ConfigFile.Read(Weights)).Message;

    [Fact]
    public void TheFileIsIndentedSnakeCaseJsonWithItsFormatFirst()
    {
        ConfigFile.Save(new CapsNetConfig(3, 32, 2, 2, ["cat", "dog"], "pets"), Weights);

        Assert.Equal("""
            {
              "format": "capsnet.net model v1",
              "input_channels": 3,
              "input_side": 32,
              "classes": 2,
              "class_names": [
                "cat",
                "dog"
              ],
              "routings": 2,
              "dataset": "pets"
            }

            """, File.ReadAllText(Json));
    }

    [Fact]
    public void WhatIsSavedIsReadBack()
    {
        var config = new CapsNetConfig(3, 32, 2, 2, ["cat", "dog"], "pets");
        ConfigFile.Save(config, Weights);

        CapsNetConfig read = ConfigFile.Read(Weights)!;

        Assert.Equal((3, 32, 2, 2, "pets"), (read.InputChannels, read.InputSide, read.Classes, read.Routings, read.Dataset));
        Assert.Equal(["cat", "dog"], read.ClassNames);
    }

    [Fact]
    public void WithoutAFileThereIsNoConfig()
    {
        Assert.Null(ConfigFile.Read(Weights));
    }

    [Fact]
    public void WithoutADatasetTheDatasetIsEmpty()
    {
        File.WriteAllText(Json, """{"input_channels": 1, "input_side": 28, "classes": 10, "routings": 3}""");

        Assert.Equal("", ConfigFile.Read(Weights)!.Dataset);
    }

    [Fact]
    public void TextThatIsNotJsonIsNamed()
    {
        File.WriteAllText(Json, "not json");

        Assert.StartsWith($"Model description '{Json}' cannot be read (", ReadError());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("""{"input_side": 28, "classes": 10, "routings": 3}""")]
    [InlineData("""{"input_channels": 1, "classes": 10, "routings": 3}""")]
    [InlineData("""{"input_channels": 1, "input_side": 28, "routings": 3}""")]
    [InlineData("""{"input_channels": 1, "input_side": 28, "classes": 10}""")]
    public void AMissingFieldIsNamed(string json)
    {
        File.WriteAllText(Json, json);

        Assert.Equal($"Model description '{Json}' lacks one of input_channels, input_side, classes, routings.", ReadError());
    }

    [Fact]
    public void AConfigThatBuildsNoNetworkIsNamedWithWhy()
    {
        File.WriteAllText(Json, """{"input_channels": 2, "input_side": 28, "classes": 10, "routings": 3}""");

        Assert.Equal($"Model description '{Json}' describes no CapsNet: CapsNet takes grey (1 channel) or colour (3 channel) images, not 2 channels.",
            ReadError());
    }
}
