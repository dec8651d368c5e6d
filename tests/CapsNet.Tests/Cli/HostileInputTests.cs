using System.Diagnostics;
using CapsNet.Data;
using CapsNet.Tests.Model;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using TorchSharp;
using Xunit.Abstractions;

namespace CapsNet.Tests.Cli;

/// <summary>
/// The cases of issue 29, each through the command line: files made to hurt and flags given carelessly get one line
/// naming the problem and the documented exit code (2 for flags, 1 for files), bounded memory, and nothing on disk
/// that should not be there. The leaf pieces have tests of their own (FileWalk, OutputPath, ImageReader, ...).
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ITestOutputHelper _output = output;

    public void Dispose() => _dir.Dispose();

    private static string Shipped => Path.Combine(RepoPaths.Root, "models", "capsnet-mnist-v4.pt");

    private string SaveDir => _dir.File("out");

    private static (int ExitCode, string Output, string Error) Run(params string[] args) => CapsNetInProcess.Run(args);

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";

    private static void Make(string command, params string[] args)
    {
        using Process process = Process.Start(command, args);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    /// <summary>
    /// An MNIST test digit as a PNG: light ink on black, or black ink on a transparent canvas, as drawing programs save it.
    /// </summary>
    private static int SaveDigit(int index, string path, bool transparent)
    {
        using ImageSet test = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Test, index + 1);
        using var image = new Image<Rgba32>(28, 28);
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
            {
                byte ink = test.Pixels[index, 0, y, x].item<byte>();
                image[x, y] = transparent ? new Rgba32(0, 0, 0, ink) : new Rgba32(ink, ink, ink, 255);
            }
        }
        image.SaveAsPng(path);
        return (int)test.LabelArray()[index];
    }

    [Fact]
    public void ANetworkForHugeImagesIsRefusedBeforeItIsBuiltNamingItsSize()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(root, trainPerClass: 2, testPerClass: 1, side: 24);

        var (exitCode, output, error) = Run("train", "--dataset", root, "--image_size", "1000", "--batch_size", "2", "--save_dir", SaveDir);

        Assert.Equal(1, exitCode);
        Assert.Matches(@"^error: A network for 3x1000x1000 images needs about [0-9.]+ [GT]B for a training step at batch size 2; " +
            @"this machine has [0-9.]+ [GT]B\. Give a smaller --batch_size, smaller images, or --max_memory if the machine has more to " +
                @"give\.$", error.Trim());
        Assert.DoesNotContain("Total params", output);
        Assert.False(Directory.Exists(SaveDir));
    }

    [Fact]
    public void AMemoryLimitGivenIsTheOneKept()
    {
        var (exitCode, _, error) = Run("test", "-w", Shipped, "--max_memory", "100M", "--save_dir", SaveDir);

        Assert.Equal(1, exitCode);
        Assert.Matches(@"needs about [0-9]+ MB for a test-mode step at batch size 100; the limit is 100 MB\.", error);
        Assert.Equal((2, "error: --max_memory takes a size such as 8G or 512M, got 'lots'."),
            (Run("test", "--max_memory", "lots").ExitCode, FirstLine(Run("test", "--max_memory", "lots").Error)));
    }

    // predict on the example digits stops at the memory plan, before any network is built or folder written.
    private void AssertPredictRefusesTheNetworksSize(string weights)
    {
        var (exitCode, _, error) = Run("predict", "-w", weights, Path.Combine(RepoPaths.Root, "docs", "examples", "digits"), "--save_dir",
            SaveDir);

        Assert.Equal(1, exitCode);
        Assert.Matches(@"^error: A network for 1x28x28 images needs about [0-9.]+ [GT]B for a test-mode step at batch size 100", error);
        Assert.False(Directory.Exists(SaveDir));
    }

    [Fact]
    public void AModelDescriptionDeclaringAHugeNetworkIsRefusedBeforeItsWeightsAreRead()
    {
        string weights = _dir.File("huge.pt");
        File.WriteAllText(weights, "never read");
        File.WriteAllText(_dir.File("huge.json"), """{"input_channels": 1, "input_side": 28, "classes": 100000, "routings": 3}""");

        AssertPredictRefusesTheNetworksSize(weights);
    }

    [Fact]
    public void AKerasFileDeclaringAHugeNetworkIsRefusedBeforeAnyValueIsRead()
    {
        // Like the issue's 25 KB .h5, shapes that declare 100,000 classes: W [100000,1152,16,8] (59 GB) and the decoder's
        // first kernel [1600000,512], in chunks never written (PureHDF leaves them as a hole in a sparse file).
        using var generator = new TorchSharp.torch.Generator(1);
        using var mnist = new CapsNet.Model.CapsuleNetwork(CapsNet.Model.CapsNetConfig.Mnist, generator);
        var layout = Interop.KerasLayout.Of(mnist, Interop.KerasLayout.TfKerasDense);
        layout.Weights["digitcaps"][0] = Interop.KerasDataset.Declared("digitcaps/W:0", [100_000, 1152, 16, 8]);
        layout.Weights["decoder"][0] = Interop.KerasDataset.Declared("dense/kernel:0", [100_000 * 16, 512]);
        string weights = layout.Write(_dir.File("huge.h5"));

        AssertPredictRefusesTheNetworksSize(weights);
    }

    [Fact]
    public void RoutingsWithoutUseAreRefusedInAFlagAndInADescription()
    {
        string weights = _dir.File("many.pt");
        File.Copy(Shipped, weights);
        File.WriteAllText(_dir.File("many.json"), """{"input_channels": 1, "input_side": 28, "classes": 10, "routings": 1000000}""");

        var fromJson = Run("predict", "-w", weights, _dir.Path, "--save_dir", SaveDir);
        var fromFlag = Run("test", "--routings", "1000");

        Assert.Equal((1,
            $"error: Model description '{_dir.File("many.json")}' describes no CapsNet: routings must be from 1 to 20, got 1000000."),
            (fromJson.ExitCode, FirstLine(fromJson.Error)));
        Assert.Equal((2, "error: --routings must be from 1 to 20, got 1000."), (fromFlag.ExitCode, FirstLine(fromFlag.Error)));
    }

    [Fact]
    public void WeightsHoldingNanAreRefusedByEveryCommandThatReadsThem()
    {
        using Scalar nan = float.NaN.ToScalar();
        string weights = EditedWeights.Write(_dir.File("nan.pt"), state => state["digit_caps.weight"][0, 0, 0, 0].fill_(nan));
        string expected = $"error: Weights file '{weights}': digit_caps.weight holds 1 NaN value(s).";

        foreach (string[] args in new[]
        {
            new[] { "test", "-w", weights, "--test_samples", "100", "--save_dir", SaveDir },
            ["predict", "-w", weights, Path.Combine(RepoPaths.Root, "docs", "examples", "digits"), "--save_dir", SaveDir],
            ["export", "-w", weights, "--onnx", _dir.File("nan.onnx")],
        })
        {
            var (exitCode, _, error) = Run(args);
            Assert.Equal(1, exitCode);
            Assert.StartsWith(expected, error);
        }
        Assert.False(File.Exists(_dir.File("nan.onnx")));
        Assert.False(File.Exists(Path.Combine(SaveDir, "predictions.csv")));
    }

    [Fact]
    public void APictureWithATransparentBackgroundAndBlackInkIsReadAsItLooks()
    {
        string pictures = Directory.CreateDirectory(_dir.File("drawn")).FullName;
        var labels = new[] { 0, 1, 2, 3, 4 }.Select(i => SaveDigit(i, Path.Combine(pictures, $"{i}.png"), transparent: true)).ToArray();

        var (exitCode, output, error) = Run("predict", "-w", Shipped, pictures, "--save_dir", SaveDir);

        Assert.True(exitCode == 0, output + error);
        string[][] rows = File.ReadAllLines(Path.Combine(SaveDir, "predictions.csv")).Skip(1).Select(line => line.Split(',')).ToArray();
        Assert.Equal(labels.Select(label => label.ToString()), rows.Select(row => row[1]));  // the digits MNIST says they are
    }

    [Fact]
    public void ATruncatedJpegIsNamedAndSkipped()
    {
        string pictures = Directory.CreateDirectory(_dir.File("photos")).FullName;
        SaveDigit(0, _dir.File("whole.png"), transparent: false);
        using (var image = Image.Load(_dir.File("whole.png")))
            image.SaveAsJpeg(Path.Combine(pictures, "whole.jpg"));
        byte[] jpeg = File.ReadAllBytes(Path.Combine(pictures, "whole.jpg"));
        File.WriteAllBytes(Path.Combine(pictures, "cut.jpg"), jpeg[..(jpeg.Length / 2)]);

        var (exitCode, output, error) = Run("predict", "-w", Shipped, pictures, "--save_dir", SaveDir);

        Assert.Equal(1, exitCode);
        Assert.Contains($"error: '{Path.Combine(pictures, "cut.jpg")}': ", error);
        Assert.Contains("truncated", FirstLine(error));
        Assert.Single(File.ReadAllLines(Path.Combine(SaveDir, "predictions.csv")).Skip(1));  // the whole one only
    }

    [Fact]
    public void AFolderWhoseLinksFormALoopIsSearchedOnceAndItsPicturesPredictedOnce()
    {
        string pictures = Directory.CreateDirectory(_dir.File("loop/a")).FullName;
        Directory.CreateDirectory(_dir.File("loop/b"));
        SaveDigit(0, Path.Combine(pictures, "seven.png"), transparent: false);
        Directory.CreateSymbolicLink(_dir.File("loop/a/to-b"), _dir.File("loop/b"));
        Directory.CreateSymbolicLink(_dir.File("loop/b/to-a"), _dir.File("loop/a"));

        var (exitCode, output, error) = Run("predict", "-w", Shipped, _dir.File("loop"), "--save_dir", SaveDir);

        Assert.True(exitCode == 0, output + error);
        Assert.Single(File.ReadAllLines(Path.Combine(SaveDir, "predictions.csv")).Skip(1));
        Assert.StartsWith("warning: ", error);
    }

    [Fact]
    public void AnOutputThatIsAFifoADeviceOrALinkToOneIsRefusedAndLeftAsItIs()
    {
        string fifo = _dir.File("pipe.onnx"), link = _dir.File("link.onnx"), device = _dir.File("null.onnx");
        Make("mkfifo", fifo);
        File.CreateSymbolicLink(link, fifo);
        Make("mknod", device, "c", "1", "3");  // the system's null device, made here: no system path is touched

        foreach (string output in new[] { fifo, link, device })
        {
            var (exitCode, _, error) = Run("export", "-w", Shipped, "--onnx", output);
            Assert.Equal(1, exitCode);
            Assert.Contains($"'{output}'", error);
        }
        Assert.Equal(FileKind.Fifo, FileNode.Of(fifo)!.Value.Kind);
        Assert.Equal(FileKind.SymbolicLink, FileNode.Of(link, followLinks: false)!.Value.Kind);
        Assert.Equal(FileKind.CharacterDevice, FileNode.Of(device)!.Value.Kind);
    }

    [Fact]
    public void ConvertRefusesToWriteOverItsInputOrTwiceToOneFile()
    {
        using (var model = GrownNetwork.Build())
            Interop.KerasLayout.Of(model, Interop.KerasLayout.TfKerasDense).Write(_dir.File("a.h5"));
        byte[] keras = File.ReadAllBytes(_dir.File("a.h5"));

        var over = Run("convert", _dir.File("a.h5"), _dir.File("a.h5"));
        var twice = Run("convert", _dir.File("a.h5"), _dir.File("x.json"));
        Directory.CreateDirectory(_dir.File("folder"));
        var folder = Run("convert", _dir.File("a.h5"), _dir.File("folder"));

        Assert.Equal(1, over.ExitCode);
        Assert.Contains("is the input", over.Error);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("would be written twice", twice.Error);
        Assert.Equal(1, folder.ExitCode);
        Assert.Equal(keras, File.ReadAllBytes(_dir.File("a.h5")));
        Assert.Equal(["a.h5", "folder"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void APredictThatClassifiedNothingLeavesTheEarlierPredictionsAlone()
    {
        Directory.CreateDirectory(SaveDir);
        File.WriteAllText(Path.Combine(SaveDir, "predictions.csv"), "file,class\nkept.png,3\n");
        string pictures = Directory.CreateDirectory(_dir.File("broken")).FullName;
        File.WriteAllText(Path.Combine(pictures, "not.png"), "not a picture");

        var (exitCode, _, error) = Run("predict", "-w", Shipped, pictures, "--save_dir", SaveDir);

        Assert.Equal(1, exitCode);
        Assert.Contains("not.png", error);
        Assert.Equal("file,class\nkept.png,3\n", File.ReadAllText(Path.Combine(SaveDir, "predictions.csv")));
    }

    [Fact]
    public void TheTemporaryOfAKilledExportIsRemovedByTheNextOne()
    {
        string onnx = _dir.File("model.onnx"), stale = _dir.File(".model.onnx.0123456789abcdef0123456789abcdef.tmp");
        File.WriteAllBytes(stale, new byte[1000]);

        var (exitCode, output, error) = Run("export", "-w", Shipped, "--onnx", onnx);

        Assert.True(exitCode == 0, output + error);
        Assert.False(File.Exists(stale));
        Assert.Equal(["model.onnx"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void ExportToAFolderItCannotWriteNamesTheFileNotAFlagItLacks()
    {
        var (exitCode, _, error) = Run("export", "-w", Shipped, "--onnx", "/proc/capsnet.onnx");

        Assert.Equal(1, exitCode);
        Assert.Equal("error: Could not write '/proc/capsnet.onnx': its folder '/proc' is not writable: nothing can be created there.",
            error.Trim());
        Assert.DoesNotContain("--save_dir", error);
    }

    [Fact]
    public void ASmallIdxSetIsNotToldToUseAFlagThatCannotResizeIt()
    {
        using var dir = new TempDirectory();
        Data.IdxDataTests.WriteIdx(dir, DataSplit.Train, side: 16, labels: [0, 1, 0, 1]);
        Data.IdxDataTests.WriteIdx(dir, DataSplit.Test, side: 16, labels: [0, 1]);

        var (exitCode, _, error) = Run("train", "--dataset", dir.Path, "--save_dir", SaveDir);

        Assert.Equal((1, $"error: Images of side 16 in '{Path.GetFullPath(dir.Path)}' are too small for CapsNet's two 9x9 convolutions: " +
            "the smallest side is 17."), (exitCode, error.Trim()));
    }

    [Theory]
    [InlineData("--lam_recon", "NaN")]
    [InlineData("--lr_decay", "-1")]
    [InlineData("--shift_fraction", "0.9")]
    [InlineData("--image_size", "100000")]
    public void AFlagOutOfBoundsIsOneLineAndExitCode2(string flag, string value)
    {
        var (exitCode, _, error) = Run("train", flag, value);

        Assert.Equal(2, exitCode);
        Assert.Equal(2, error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);  // the problem, and the pointer to -h
        Assert.StartsWith($"error: {flag} must be", error);
    }

    [Fact]
    public void TheDataSetNamedTwiceIsAUsageError()
    {
        var (exitCode, _, error) = Run("train", "--dataset", "mnist", "--data_dir", "/x");

        Assert.Equal(2, exitCode);
        Assert.Contains("--dataset", FirstLine(error));
    }

    [Fact]
    public void TestAndPredictDoNotMixWithARunThatHoldsTheFolder()
    {
        Directory.CreateDirectory(SaveDir);
        using RunLock held = RunLock.Acquire(SaveDir);  // as a training run or another predict holds it

        var test = Run("test", "--test_samples", "100", "--save_dir", SaveDir);
        var predict = Run("predict", "-w", Shipped, Path.Combine(RepoPaths.Root, "docs", "examples", "digits"), "--save_dir", SaveDir);

        string expected = $"error: Another run is writing to '{SaveDir}'. Wait for it to end, or choose another --save_dir.";
        Assert.Equal((1, expected), (test.ExitCode, test.Error.Trim()));
        Assert.Equal((1, expected), (predict.ExitCode, predict.Error.Trim()));
        Assert.Empty(Directory.GetFileSystemEntries(SaveDir));
    }

    [Fact]
    public void ADescriptionOfAnUnknownFormatOrRepeatedClassNamesIsRefused()
    {
        string weights = _dir.File("m.pt");
        File.Copy(Shipped, weights);
        File.WriteAllText(_dir.File("m.json"),
            """{"format": "capsnet.net model v9", "input_channels": 1, "input_side": 28, "classes": 10, "routings": 3}""");
        var unknown = Run("test", "-w", weights, "--save_dir", SaveDir);
        File.WriteAllText(_dir.File("m.json"),
            """{"input_channels": 1, "input_side": 28, "classes": 2, "routings": 3, "class_names": ["7", "7"]}""");
        var repeated = Run("test", "-w", weights, "--save_dir", SaveDir);

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("which this version does not read", unknown.Error);
        Assert.Equal(1, repeated.ExitCode);
        Assert.Contains("The class name '7' is given 2 times.", repeated.Error);
    }

    [Fact]
    public void ManyLargePicturesArePredictedWithinABoundedPeak()
    {
        // 16 pictures of 16 megapixels, each one MNIST digit drawn large: decoded all at once, as before, about
        // 16 x 16 M x 9 bytes (RGB and the preparation's copies) = 2.3 GB; within the decoder's 1 GiB budget, at most
        // that above what predict holds anyway (about 0.5 GB).
        string pictures = Directory.CreateDirectory(_dir.File("large")).FullName;
        SaveDigit(0, _dir.File("digit.png"), transparent: false);
        using (var digit = Image.Load<Rgb24>(_dir.File("digit.png")))
        {
            digit.Mutate(c => c.Resize(4000, 4000));
            digit.SaveAsPng(Path.Combine(pictures, "00.png"));
        }
        for (int i = 1; i < 16; i++)
            File.Copy(Path.Combine(pictures, "00.png"), Path.Combine(pictures, $"{i:D2}.png"));

        var (exitCode, error, peak) = CapsNetProcess.RunMeasuringPeak("predict", "-w", Shipped, pictures, "--save_dir", SaveDir);

        _output.WriteLine($"peak resident memory of predict on 16 pictures of 16 megapixels: {peak >> 20} MiB");
        Assert.True(exitCode == 0, error);
        Assert.Equal(16, File.ReadAllLines(Path.Combine(SaveDir, "predictions.csv")).Length - 1);
        Assert.InRange(peak, 1L << 20, 3L << 29);  // 1.5 GiB
    }
}
