using System.Globalization;
using CapsNet.Cli;
using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Native;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace CapsNet.Tests.Cli;

/// <summary><c>capsnet predict</c>, run in this process with its output read from an injected console.</summary>
[Collection(ThreadCountCollection.Name)]
public sealed class PredictCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SaveDir => _dir.File("out");

    private (int ExitCode, string Output, string Error) Predict(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = CapsNetApp.Run(["predict", .. args, "--save_dir", SaveDir], TestConsole.Create(output), error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private string SaveModel(CapsNetConfig config, int seed = 3)
    {
        string path = _dir.File($"model-{config.InputChannels}x{config.InputSide}.pt");
        using var model = new CapsuleNetwork(config, new Generator((ulong)seed));
        WeightsFile.Save(model, path);
        return path;
    }

    private string[][] CsvRows() =>
        File.ReadAllLines(Path.Combine(SaveDir, "predictions.csv")).Skip(1).Select(line => line.Split(',')).ToArray();

    private static void SavePng(ImageSet set, int index, string path)
    {
        using var image = new Image<L8>(set.Side, set.Side);
        for (int y = 0; y < set.Side; y++)
            for (int x = 0; x < set.Side; x++)
                image[x, y] = new L8(set.Pixels[index, 0, y, x].item<byte>());
        image.SaveAsPng(path);
    }

    [Fact]
    public void TestImagesWrittenAsPngGetTheClassesTheNetworkGivesThem()
    {
        const int count = 40;
        string weights = SaveModel(CapsNetConfig.Mnist);
        using ImageSet test = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Test, count);
        string folder = _dir.File("digits");
        Directory.CreateDirectory(folder);
        for (int i = 0; i < count; i++)
            SavePng(test, i, Path.Combine(folder, $"test-{i:D3}.png"));

        var (exitCode, output, error) = Predict("-w", weights, "--preprocess", "none", "--batch_size", $"{count}", folder);

        Assert.True(exitCode == 0, output + error);
        using var model = new CapsuleNetwork(CapsNetConfig.Mnist);
        WeightsFile.Load(model, weights);
        model.eval();
        long[] expected;
        using (no_grad())
        using (Tensor images = test.Images(0, count))
            expected = Capsules.Length(model.Encode(images)).argmax(1).data<long>().ToArray();
        string[][] rows = CsvRows();
        Assert.Equal(Enumerable.Range(0, count).Select(i => Path.Combine(folder, $"test-{i:D3}.png")), rows.Select(r => r[0]));
        Assert.Equal(expected, rows.Select(r => long.Parse(r[1], CultureInfo.InvariantCulture)));
        Assert.True(expected.Distinct().Count() > 1, "every image got the same class: the comparison would prove little");
        Assert.Equal(6 + 10, rows[0].Length);  // file, class, name, confidence, runner-up and its length, ten lengths
        Assert.Contains($"{Path.Combine(folder, "test-000.png")}  ", output);
        Assert.StartsWith("file", output.Split('\n').First(line => line.StartsWith("file")));
    }

    [Fact]
    public void FoldersAreSearchedRecursivelyAcrossFormatsAndAnUnreadableFileIsSkipped()
    {
        string weights = SaveModel(CapsNetConfig.Mnist);
        string root = _dir.File("pictures");
        Directory.CreateDirectory(Path.Combine(root, "deeper", "deepest"));
        using ImageSet test = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Test, 3);
        SavePng(test, 0, Path.Combine(root, "a.png"));
        using (var image = Image.Load<Rgb24>(Path.Combine(root, "a.png")))
        {
            image.SaveAsJpeg(Path.Combine(root, "deeper", "b.jpg"));
            image.SaveAsBmp(Path.Combine(root, "deeper", "deepest", "c.bmp"));
            image.SaveAsWebp(Path.Combine(root, "deeper", "d.webp"));
        }
        File.WriteAllText(Path.Combine(root, "deeper", "e.png"), "not a picture");
        File.WriteAllText(Path.Combine(root, "notes.txt"), "not looked at");
        string empty = _dir.File("empty");
        Directory.CreateDirectory(empty);

        var (exitCode, output, error) = Predict("-w", weights, root, empty);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            [Path.Combine(root, "a.png"), Path.Combine(root, "deeper", "b.jpg"), Path.Combine(root, "deeper", "d.webp"), Path.Combine(root,
                "deeper", "deepest", "c.bmp")],
            CsvRows().Select(r => r[0]));
        string[] errors = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, errors.Length);
        Assert.Equal($"error: '{empty}': folder holds no PNG, JPEG, BMP, GIF, TIFF or WebP files; skipped.", errors[0]);
        Assert.StartsWith($"error: '{Path.Combine(root, "deeper", "e.png")}': ", errors[1]);
        Assert.Contains("Predictions for 4 files saved to", output);
    }

    [Fact]
    public void AColourModelTakesGreyPicturesAndAGreyModelColourOnes()
    {
        string colourModel = SaveModel(new CapsNetConfig(InputChannels: 3, InputSide: 32, Classes: 3, ClassNames: ["a", "b", "c"]));
        string greyModel = SaveModel(CapsNetConfig.Mnist);
        string grey = _dir.File("grey.png"), colour = _dir.File("colour.png");
        using (var image = ShapesFolder.Draw("square", 40, new Random(1), colour: false))
            image.CloneAs<L8>().SaveAsPng(grey);
        using (var image = ShapesFolder.Draw("square", 50, new Random(2), colour: true))
            image.SaveAsPng(colour);

        var colourRun = Predict("-w", colourModel, "--recon", grey, colour);
        Assert.True(colourRun.ExitCode == 0, colourRun.Output + colourRun.Error);
        Assert.Equal(2, CsvRows().Length);
        Assert.Contains(CsvRows()[0][2], new[] { "a", "b", "c" });
        using (var recon = Image.Load(Path.Combine(SaveDir, "recon.png")))
            Assert.Equal((4 * 32, 32, 24), (recon.Width, recon.Height, recon.PixelType.BitsPerPixel));  // two pairs in a row

        var greyRun = Predict("-w", greyModel, grey, colour);
        Assert.True(greyRun.ExitCode == 0, greyRun.Output + greyRun.Error);
        Assert.Equal(2, CsvRows().Length);
    }

    [Fact]
    public void TheShippedModelNamesEachOfTheTenExampleDigits()
    {
        string digits = Path.Combine(RepoPaths.Root, "docs", "examples", "digits");

        var (exitCode, output, error) = Predict("-w", Path.Combine(RepoPaths.Root, Failures.ShippedModel), digits);

        Assert.True(exitCode == 0, output + error);
        // Each file is named after the digit drawn in it: 0-dejavu-sans.png, 1-helvetica-bold.jpg, ...
        var rows = CsvRows();
        Assert.Equal(10, rows.Length);
        Assert.All(rows, row => Assert.Equal(Path.GetFileName(row[0])[..1], row[1]));
    }

    [Fact]
    public void TheDeviceLineSaysWhichPrecisionAutoChoseAndWhy()
    {
        string digits = Path.Combine(RepoPaths.Root, "docs", "examples", "digits");
        string weights = Path.Combine(RepoPaths.Root, Failures.ShippedModel);

        var (autoExit, auto, autoError) = Predict("-w", weights, digits);
        string[] autoClasses = CsvRows().Select(row => row[1]).ToArray();
        var (fp32Exit, fp32, fp32Error) = Predict("-w", weights, "--precision", "fp32", digits);

        Assert.True(autoExit == 0 && fp32Exit == 0, auto + autoError + fp32 + fp32Error);
        string chosen = Processor.NativeBf16 is null
            ? "fp32 (auto: this processor has no native bfloat16 products)"
            : $"bf16 (auto: this processor multiplies bfloat16 natively, {Processor.NativeBf16})";
        Assert.Contains($"Device: cpu, 1 thread, {chosen}.", auto);
        Assert.Contains("Device: cpu, 1 thread, fp32 (as asked).", fp32);
        Assert.Equal(CsvRows().Select(row => row[1]), autoClasses);
    }

    [Fact]
    public void NoModelAndNoPicturesAreNamed()
    {
        var noModel = Predict(_dir.Path);
        Assert.Equal((1,
            $"error: No model to predict with: there is no '{Path.Combine(SaveDir, "trained_model.pt")}'. Give -w MODEL; for digits, the " +
                "repository's models/capsnet-mnist-v4.pt.\n"),
            (noModel.ExitCode, noModel.Error.Replace("\r", "")));

        var nothing = Predict("-w", SaveModel(CapsNetConfig.Mnist), "/nonexistent/pictures");
        Assert.Equal((1, "error: No pictures to predict: '/nonexistent/pictures' not found.\n"), (nothing.ExitCode,
            nothing.Error.Replace("\r", "")));
        Assert.False(Directory.Exists(SaveDir));
    }

    [Theory]
    [InlineData("train", "--epochs", "--dataset", "--val_samples", "--resume", "--image_size")]
    [InlineData("test", "--weights", "--digit", "--dataset", "--test_samples")]
    [InlineData("predict", "--weights", "--preprocess", "--recon", "--batch_size", "PATH")]
    public void EverySubcommandsHelpListsItsOptions(string command, params string[] listed)
    {
        var output = new StringWriter();

        int exitCode = CapsNetApp.Run([command, "-h"], TestConsole.Create(output), new StringWriter());

        Assert.Equal(0, exitCode);
        foreach (string option in listed)
            Assert.Contains(option, output.ToString());
    }
}
