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
              "format": "capsnet.net model v2",
              "input_channels": 3,
              "input_side": 32,
              "classes": 2,
              "routings": 2,
              "class_names": [
                "cat",
                "dog"
              ],
              "dataset": "pets",
              "labels_per_image": 1,
              "conv1_channels": 256,
              "conv1_kernel": 9,
              "primary_channels": 256,
              "primary_kernel": 9,
              "primary_stride": 2,
              "primary_capsule_dim": 8,
              "digit_capsule_dim": 16,
              "decoder_hidden1": 512,
              "decoder_hidden2": 1024
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
    public void EveryLayerSizeIsSavedAndReadBack()
    {
        var config = new CapsNetConfig(1, 40, 3, 1) { Conv1Channels = 64, PrimaryChannels = 32, PrimaryCapsuleDim = 4, DigitCapsuleDim = 8,
            DecoderHidden2 = 256 };
        ConfigFile.Save(config, Weights);

        CapsNetConfig read = ConfigFile.Read(Weights)!;

        Assert.Equal(config.LayerSizes(), read.LayerSizes());
        // conv1 (9x9) leaves 32x32, the primary convolution (9x9, stride 2) a 12x12 grid of 32 / 4 = 8 capsule types.
        Assert.Equal(12 * 12 * 8, read.PrimaryCapsuleCount);
    }

    [Fact]
    public void AVersion1FileHasTheDefaultLayerSizes()
    {
        File.WriteAllText(Json, """
            {"format": "capsnet.net model v1", "input_channels": 1, "input_side": 28, "classes": 10, "routings": 3, "dataset": "mnist"}
            """);

        Assert.Equal(CapsNetConfig.Mnist.LayerSizes(), ConfigFile.Read(Weights)!.LayerSizes());
    }

    [Theory]
    [InlineData("""{"format": "capsnet.net model v7", "input_channels": 1, "input_side": 28, "classes": 10, "routings": 3}""",
        "has format \"capsnet.net model v7\", which this version does not read (it reads 'capsnet.net model v2' and 'capsnet.net model " +
            "v1').")]
    [InlineData("""{"format": 2, "input_channels": 1, "input_side": 28, "classes": 10, "routings": 3}""",
        "has format 2, which this version does not read (it reads 'capsnet.net model v2' and 'capsnet.net model v1').")]
    [InlineData("""{"input_channels": 1, "input_side": 28, "classes": 10, "routings": 1000000}""",
        "describes no CapsNet: routings must be from 1 to 20, got 1000000.")]
    [InlineData("""{"input_channels": 1, "input_side": 28, "classes": 2, "routings": 3, "class_names": ["a", "a"]}""",
        "describes no CapsNet: The class name 'a' is given 2 times.")]
    [InlineData("""{"input_channels": 1, "input_side": 28, "classes": 2, "routings": 3, "conv1_channels": 0}""",
        "describes no CapsNet: The layer size conv1_channels must be at least 1, got 0.")]
    public void AFormatOrValueThisVersionCannotUseIsRefused(string json, string problem)
    {
        File.WriteAllText(Json, json);

        Assert.Equal($"Model description '{Json}' {problem}", ReadError());
    }

    [Fact]
    public void AFieldThisVersionDoesNotKnowIsRefused()
    {
        File.WriteAllText(Json, """{"input_channels": 1, "input_side": 28, "classes": 10, "routings": 3, "conv1_chanels": 128}""");

        Assert.StartsWith($"Model description '{Json}' cannot be read (", ReadError());
        Assert.Contains("conv1_chanels", ReadError());
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

        Assert.Equal($"Model description '{Json}' describes no CapsNet: CapsNet takes grey (1 channel) or colour (3 channel) images, not " +
            "2 channels.",
            ReadError());
    }
}
