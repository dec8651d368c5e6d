using CapsNet.Interop;
using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Tests.Interop;

public sealed class KerasWeightsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CapsuleNetwork Build(int seed, CapsNetConfig? config = null) =>
        new(config ?? CapsNetConfig.Mnist, new Generator((ulong)seed));

    private static void AssertSameOutputs(CapsuleNetwork expected, CapsuleNetwork actual)
    {
        CapsNetConfig c = expected.Config;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator(7);
        Tensor x = rand([3, c.InputChannels, c.InputSide, c.InputSide], generator: generator);
        var (expectedLengths, expectedImages) = expected.forward(x, null);
        var (actualLengths, actualImages) = actual.forward(x, null);
        Assert.True(expectedLengths.equal(actualLengths).all().item<bool>());
        Assert.True(expectedImages.equal(actualImages).all().item<bool>());
    }

    private string ReadError(string path) => Assert.Throws<UserInputException>(() => KerasWeights.Read(path)).Message;

    public static TheoryData<string[], string> Namings => new()
    {
        { KerasLayout.TfKerasDense, "mask" },
        { KerasLayout.Keras20Dense, "mask_1" },
        { ["dense_8", "dense_9", "dense_10"], "mask_3" },  // not in name order
    };

    /// <summary>A CapsNet of the file's shape, with <paramref name="routings"/> routing iterations, holding its weights.</summary>
    private static CapsuleNetwork ReadModel(string path, int routings = 3)
    {
        using var weights = GivenWeights.Open(path, routings);
        var model = new CapsuleNetwork(weights.Config);
        weights.LoadInto(model);
        return model;
    }

    private static void Load(CapsuleNetwork model, string path)
    {
        using var weights = GivenWeights.Open(path);
        weights.LoadInto(model);
    }

    [Theory]
    [MemberData(nameof(Namings))]
    public void ReferenceFileGivesIdenticalOutputs(string[] denseNames, string maskName)
    {
        using var source = Build(seed: 1);
        string path = KerasLayout.Of(source, denseNames, maskName).Write(_dir.File("trained_model.h5"));

        using var read = ReadModel(path);
        using var loaded = Build(seed: 2);
        Load(loaded, path);

        Assert.Equal(CapsNetConfig.Mnist, read.Config);
        AssertSameOutputs(source, read);
        AssertSameOutputs(source, loaded);
    }

    [Fact]
    public void WholeModelFileGivesIdenticalOutputs()
    {
        using var source = Build(seed: 1);
        string path = KerasLayout.Of(source, KerasLayout.TfKerasDense).Write(_dir.File("model.h5"), wholeModel: true);

        using var read = ReadModel(path);

        AssertSameOutputs(source, read);
    }

    [Fact]
    public void ShapeOfColourImagesAndClassesFollowsFromTheWeights()
    {
        var config = new CapsNetConfig(InputChannels: 3, InputSide: 32, Classes: 5, Routings: 2);
        using var source = Build(seed: 1, config);
        string path = KerasLayout.Of(source, KerasLayout.TfKerasDense).Write(_dir.File("colour.h5"));

        using var read = ReadModel(path, routings: 2);

        Assert.Equal(config with { Dataset = "" }, read.Config);  // not MNIST's shape, so not MNIST; the file names no data set
        AssertSameOutputs(source, read);
    }

    [Fact]
    public void ReconstructionPixelsComeFromKerasHeightWidthChannelOrder()
    {
        var config = new CapsNetConfig(InputChannels: 3, InputSide: 32, Classes: 5);
        using var source = Build(seed: 1, config);
        KerasLayout layout = KerasLayout.Of(source, KerasLayout.TfKerasDense);
        // Zero output kernel: each pixel is sigmoid of its own bias, Keras' unit (h*W + w)*C + c.
        float[] bias = Enumerable.Range(0, config.PixelCount).Select(k => k * 4f / config.PixelCount - 2f).ToArray();
        List<KerasDataset> decoder = layout.Weights["decoder"];
        decoder[4] = decoder[4] with { Values = new float[decoder[4].Values.Length] };
        decoder[5] = decoder[5] with { Values = bias };
        string path = layout.Write(_dir.File("colour.h5"));

        using var read = ReadModel(path);
        using var noGrad = no_grad();
        using var x = rand(1, 3, 32, 32);
        var (_, image) = read.forward(x, null);

        float[] pixels = image.data<float>().ToArray();  // [1,C,H,W]
        for (int c = 0; c < 3; c++)
            for (int h = 0; h < 32; h++)
                for (int w = 0; w < 32; w++)
                    Assert.Equal(1 / (1 + MathF.Exp(-bias[(h * 32 + w) * 3 + c])), pixels[(c * 32 + h) * 32 + w], 1e-6f);
    }

    [Fact]
    public void EveryLayerOfAnotherArchitectureIsNamedInOneMessage()
    {
        using var source = Build(seed: 1);
        KerasLayout layout = KerasLayout.Of(source, KerasLayout.TfKerasDense);
        layout.Weights["conv1"] = [new("conv1/kernel:0", [9, 9, 1, 128], new float[9 * 9 * 128]), new("conv1/bias:0", [128],
            new float[128])];
        List<KerasDataset> decoder = layout.Weights["decoder"];
        decoder[0] = new("dense/kernel:0", [160, 256], new float[160 * 256]);
        decoder[1] = new("dense/bias:0", [256], new float[256]);
        layout.LayerNames.Insert(2, "leaky_re_lu");
        layout.LayerNames.Remove("primarycap_conv2d");
        string path = layout.Write(_dir.File("other.h5"));

        Assert.Equal(
            $"Weights file '{path}' does not fit CapsNet: conv1 has [9, 9, 1, 128], [128] but CapsNet needs [9, 9, 1, 256], [256]; "
            + "unexpected layer leaky_re_lu; "
            + "decoder has [160, 256], [256], [512, 1024], [1024], [1024, 784], [784] "
            + "but CapsNet needs [160, 512], [512], [512, 1024], [1024], [1024, 784], [784]; "
            + "missing layer primarycap_conv2d.",
            ReadError(path));
    }

    [Fact]
    public void MissingLayerIsNamed()
    {
        using var source = Build(seed: 1);
        KerasLayout layout = KerasLayout.Of(source, KerasLayout.TfKerasDense);
        layout.LayerNames.Remove("digitcaps");
        string path = layout.Write(_dir.File("partial.h5"));

        Assert.Equal($"Weights file '{path}' does not fit CapsNet: missing layer digitcaps.", ReadError(path));
        using var model = Build(seed: 2);
        Assert.Equal($"Weights file '{path}' does not fit CapsNet: missing layer digitcaps.",
            Assert.Throws<UserInputException>(() => Load(model, path)).Message);
    }

    [Fact]
    public void WeightsForAnotherClassCountDoNotLoadIntoAnMnistModel()
    {
        using var source = Build(seed: 1, new CapsNetConfig(Classes: 5));
        string path = KerasLayout.Of(source, KerasLayout.TfKerasDense).Write(_dir.File("five.h5"));
        using var model = Build(seed: 2);

        string message = Assert.Throws<UserInputException>(() => Load(model, path)).Message;

        Assert.Contains("digit_caps.weight has shape [5, 1152, 16, 8] but the model needs [10, 1152, 16, 8] (weights for 5 classes, the " +
            "model has 10)", message);
        using var given = GivenWeights.Open(path, routings: 2);
        CapsNetConfig described = given.Config;
        Assert.Equal((5, 2), (described.Classes, described.Routings));
    }

    [Fact]
    public void FilesThatAreNotKerasWeightsAreNamed()
    {
        string pt = _dir.File("weights.pt");
        using (var model = Build(seed: 1))
            WeightsFile.Save(model, pt);
        string text = _dir.File("notes.h5");
        File.WriteAllText(text, "not weights");
        string otherHdf5 = _dir.File("data.h5");
        new PureHDF.H5File { ["images"] = new float[] { 1, 2, 3 } }.Write(otherHdf5);

        Assert.Equal($"Weights file '{pt}' is not an HDF5 file.", ReadError(pt));
        Assert.Equal($"Weights file '{text}' is not an HDF5 file.", ReadError(text));
        Assert.Equal($"Weights file '{_dir.File("absent.h5")}' not found.", ReadError(_dir.File("absent.h5")));
        Assert.Equal($"Weights file '{otherHdf5}' is not a Keras weights file (it has no 'layer_names' attribute).", ReadError(otherHdf5));
        Assert.False(KerasWeights.IsHdf5(pt));
        Assert.True(KerasWeights.IsHdf5(otherHdf5));
    }

    [Fact]
    public void KerasWeightsHoldingNaNAreRefusedByPredictAndConvertAlike()
    {
        using var source = Build(seed: 1);
        KerasLayout layout = KerasLayout.Of(source, KerasLayout.TfKerasDense);
        layout.Weights["digitcaps"][0].Values[12345] = float.NaN;
        layout.Weights["conv1"][1].Values[0] = float.PositiveInfinity;
        string path = layout.Write(_dir.File("nan.h5"));
        using var model = Build(seed: 2);

        string loaded = Assert.Throws<UserInputException>(() => Load(model, path)).Message;
        string converted = Assert.Throws<UserInputException>(() => KerasConvert.Convert(path, _dir.File("nan.pt"), routings: 3)).Message;

        string expected = $"Weights file '{path}': conv1.bias holds 1 infinite value(s); digit_caps.weight holds 1 NaN value(s). " +
            "Weights must be finite numbers: the file is damaged or was saved by a run that diverged.";
        Assert.Equal(expected, loaded);
        Assert.Equal(expected, converted);
        Assert.False(File.Exists(_dir.File("nan.pt")));
    }
}
