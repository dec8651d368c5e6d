using CapsNet.Model;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

public sealed class WeightsFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CapsuleNetwork Build(int seed, int classes = 10)
    {
        return new CapsuleNetwork(new CapsNetConfig(Classes: classes), new Generator((ulong)seed));
    }

    private static string LoadError(string path)
    {
        using var model = Build(seed: 2);
        return Assert.Throws<UserInputException>(() => WeightsFile.Load(model, path)).Message;
    }

    [Fact]
    public void SaveThenLoadGivesIdenticalOutputs()
    {
        string path = _dir.File("weights.pt");
        using var saved = Build(seed: 1);
        using var loaded = Build(seed: 2);
        using var x = rand(2, 1, 28, 28);
        using var noGrad = no_grad();

        WeightsFile.Save(saved, path);
        WeightsFile.Load(loaded, path);

        var (savedLengths, savedImages) = saved.forward(x, null);
        var (loadedLengths, loadedImages) = loaded.forward(x, null);
        Assert.True(savedLengths.equal(loadedLengths).all().item<bool>());
        Assert.True(savedImages.equal(loadedImages).all().item<bool>());
    }

    [Fact]
    public void FileIsAPyTorchZipWithTheDocumentedNames()
    {
        string path = _dir.File("weights.pt");
        using var model = Build(seed: 1);

        WeightsFile.Save(model, path);
        var stored = PyTorchUnpickler.UnpickleStateDict(path);

        using var zip = System.IO.Compression.ZipFile.OpenRead(path);
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("data.pkl"));
        Assert.Equal(CapsuleNetworkTests.DocumentedNames.Order(), stored.Keys.Cast<string>().Order());
        Assert.Equal([10, 1152, 16, 8], ((Tensor)stored["digit_caps.weight"]!).shape);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    [Fact]
    public void MissingTensorIsNamed()
    {
        string path = EditedWeights.Write(_dir.File("edited.pt"), state => state.Remove("decoder.2.bias"));

        Assert.Equal($"Weights file '{path}' does not fit this model: missing decoder.2.bias.", LoadError(path));
    }

    [Fact]
    public void ExtraTensorIsNamed()
    {
        string path = EditedWeights.Write(_dir.File("edited.pt"), state =>
        {
            state["decoder.6.weight"] = zeros(3);
            state["alpha"] = zeros(1);
        });

        Assert.Equal($"Weights file '{path}' does not fit this model: unexpected alpha; unexpected decoder.6.weight.", LoadError(path));
    }

    [Fact]
    public void WrongShapeIsNamedWithBothShapes()
    {
        string path = EditedWeights.Write(_dir.File("edited.pt"), state => state["conv1.bias"] = zeros(128));

        Assert.Equal($"Weights file '{path}' does not fit this model: conv1.bias has shape [128] but the model needs [256].",
            LoadError(path));
    }

    [Fact]
    public void WeightsForAnotherClassCountThanTheirJsonSaySo()
    {
        // Weights of 5 classes beside a .json that describes 10, as when one of the pair was replaced.
        string path = _dir.File("five.pt");
        using (var five = Build(seed: 1, classes: 5))
            WeightsFile.Save(five, path);
        ConfigFile.Save(new CapsNetConfig(Classes: 10), path);

        Assert.Equal($"Weights file '{path}' does not fit the model '{_dir.File("five.json")}' describes: " +
            "digit_caps.weight has shape [5, 1152, 16, 8] but the model needs [10, 1152, 16, 8] (weights for 5 classes, the model has " +
                "10); " +
            "decoder.0.weight has shape [512, 80] but the model needs [512, 160].", LoadError(path));
    }

    [Fact]
    public void TheConfigIsTheJsonsAndWithoutOneMnistsWithTheGivenRoutings()
    {
        string described = _dir.File("described.pt");
        using (var five = Build(seed: 1, classes: 5))
            WeightsFile.Save(five, described);
        string bare = EditedWeights.Write(_dir.File("bare.pt"), _ => { });

        Assert.Equal(5, WeightsFile.ReadConfig(described, routings: 1).Classes);
        Assert.Equal(CapsNetConfig.Mnist with { Routings = 2 }, WeightsFile.ReadConfig(bare, routings: 2));
        string missing = _dir.File("absent.pt");
        Assert.Equal($"Weights file '{missing}' not found.",
            Assert.Throws<UserInputException>(() => WeightsFile.ReadConfig(missing)).Message);
    }

    [Fact]
    public void MissingEmptyAndForeignFilesAreNamed()
    {
        string missing = _dir.File("absent.pt");
        string empty = _dir.File("empty.pt");
        string random = _dir.File("random.pt");
        string png = _dir.File("image.png");
        File.WriteAllBytes(empty, []);
        File.WriteAllBytes(random, Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 251)).ToArray());
        File.WriteAllBytes(png, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

        Assert.Equal($"Weights file '{missing}' not found.", LoadError(missing));
        Assert.Equal($"Weights file '{empty}' is empty.", LoadError(empty));
        Assert.Equal($"Weights file '{random}' is not a PyTorch state dict: not a zip archive, as torch.save writes.", LoadError(random));
        Assert.Equal($"Weights file '{png}' is not a PyTorch state dict: not a zip archive, as torch.save writes.", LoadError(png));
    }

    [Fact]
    public void AFileSavedByPyTorchBefore16IsToldToBeSavedAgain()
    {
        // torch.save's legacy format: pickle protocol 2, then LONG1 of 10 bytes, the magic number 0x1950a86a20f9469cfc6c.
        string legacy = _dir.File("legacy.pt");
        File.WriteAllBytes(legacy, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);

        Assert.Equal($"Weights file '{legacy}' was saved by PyTorch before 1.6, a format this tool does not read: load it in PyTorch " +
            "and save it again with torch.save.", LoadError(legacy));
    }

    [Fact]
    public void ANaNOrAnInfinityIsRefusedNamingEachTensor()
    {
        string path = EditedWeights.Write(_dir.File("diverged.pt"), state =>
        {
            state["digit_caps.weight"][3, 100, 5, 2] = tensor(float.NaN);
            state["decoder.4.bias"][0] = tensor(float.PositiveInfinity);
            state["decoder.4.bias"][7] = tensor(float.NegativeInfinity);
            state["decoder.4.bias"][9] = tensor(float.NaN);
        });
        using var model = Build(seed: 2);
        using var before = model.state_dict()["digit_caps.weight"].clone();

        string message = Assert.Throws<UserInputException>(() => WeightsFile.Load(model, path)).Message;

        Assert.Equal($"Weights file '{path}': digit_caps.weight holds 1 NaN value(s); decoder.4.bias holds 1 NaN value(s) and 2 infinite " +
            "value(s). " +
            "Weights must be finite numbers: the file is damaged or was saved by a run that diverged.", message);
        Assert.True(model.state_dict()["digit_caps.weight"].equal(before).all().item<bool>(), "the model took some of the refused weights");
    }

    [Fact]
    public void FiniteExtremesAreWeights()
    {
        string path = EditedWeights.Write(_dir.File("extreme.pt"), state =>
        {
            state["conv1.bias"][0] = tensor(float.MaxValue);
            state["conv1.bias"][1] = tensor(float.Epsilon);
        });
        using var model = Build(seed: 2);

        WeightsFile.Load(model, path);

        Assert.Equal(float.MaxValue, model.state_dict()["conv1.bias"][0].item<float>());
        Assert.Equal(float.Epsilon, model.state_dict()["conv1.bias"][1].item<float>());
    }
}
