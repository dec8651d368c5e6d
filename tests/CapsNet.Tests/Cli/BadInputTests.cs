using System.IO.Compression;
using CapsNet.Model;
using CapsNet.Tests.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Tests.Cli;

/// <summary>
/// Each mistake a user can make gives one line on stderr naming the problem, a non-zero exit code, no stack
/// trace, and no output folder or file. Run in this process; one case runs the real program, which reports the
/// same way (the process adds nothing else: its Program is CapsNetApp.Run on the real console).
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SaveDir => _dir.File("out");

    private void AssertRejected(int expectedExitCode, string expectedMessage, params string[] args) =>
        AssertRejectedIn(RepoPaths.Root, expectedExitCode, expectedMessage, args);

    private void AssertRejectedIn(string workingDirectory, int expectedExitCode, string expectedMessage, params string[] args)
    {
        // The known data sets are looked for under the working folder first: only another folder needs a process.
        var (exitCode, stdout, stderr) = workingDirectory == RepoPaths.Root
            ? CapsNetInProcess.Run([.. args, "--save_dir", SaveDir])
            : CapsNetProcess.RunIn(workingDirectory, [.. args, "--save_dir", SaveDir]);

        string[] errorLines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exitCode == expectedExitCode, $"exit code {exitCode}\n{stdout}\n{stderr}");
        Assert.StartsWith("error: ", errorLines[0]);
        Assert.Contains(expectedMessage, errorLines[0]);
        Assert.True(errorLines.Length <= 2, stderr);  // the message, and for usage errors a pointer to -h
        Assert.DoesNotContain("   at ", stdout + stderr);
        Assert.False(Directory.Exists(SaveDir), "the output folder was created");
    }

    // A data folder holding the real test files, with one of them replaced by <paramref name="bytes"/>.
    private string DataWith(string name, byte[] bytes, byte[]? testImages = null)
    {
        string dir = _dir.File("data");
        Directory.CreateDirectory(dir);
        foreach (string file in new[] { "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
            File.Copy(Path.Combine(RepoPaths.MnistDir, file), Path.Combine(dir, file));
        File.Delete(Path.Combine(dir, name + ".gz"));
        File.WriteAllBytes(Path.Combine(dir, name), bytes);
        if (testImages is not null)
        {
            File.Delete(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"));
            File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte"), testImages);
        }
        return dir;
    }

    private static byte[] TestImageHeader(int count) =>
        [0, 0, 8, 3, (byte)(count >> 24), (byte)(count >> 16), (byte)(count >> 8), (byte)count, 0, 0, 0, 28, 0, 0, 0, 28];

    private static byte[] TestLabels()
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(RepoPaths.MnistDir, "t10k-labels-idx1-ubyte.gz")),
            CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }

    [Theory]
    [InlineData("--no_such_flag", "Unrecognized command or argument '--no_such_flag'")]
    [InlineData("--epochs abc", "Cannot parse argument 'abc' for option '--epochs'")]
    [InlineData("--epochs 0", "--epochs must be at least 1, got 0.")]
    [InlineData("--lr -1", "--lr must be a number greater than 0, got -1.")]
    [InlineData("-t --digit 12",
        "--digit 12 is not a class of this model: give a number from 0 to 9 or a class name: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9.")]
    [InlineData("--device tpu", "Argument 'tpu' not recognized. Must be one of: 'auto' 'cpu' 'cuda'")]
    public void FlagMistakesAreUsageErrors(string args, string message)
    {
        AssertRejected(2, message, args.Split(' '));
    }

    [Fact]
    public void AMissingWeightsFileIsAFileProblem()
    {
        AssertRejected(1, "Weights file '/nonexistent.pt' not found.", "-t", "-w", "/nonexistent.pt");
        Directory.CreateDirectory(_dir.File("folder.pt"));
        AssertRejected(1, $"Weights file '{_dir.File("folder.pt")}' is a folder, not a file.", "-t", "-w", _dir.File("folder.pt"));
    }

    [Fact]
    public void TheRealProgramReportsAMistakeAsTheCommandLineDoes()
    {
        foreach (var (args, exitCode) in new[] { (new[] { "--epochs", "0" }, 2), (new[] { "-t", "-w", "/nonexistent.pt" }, 1) })
        {
            var inProcess = CapsNetInProcess.Run([.. args, "--save_dir", SaveDir]);
            var process = CapsNetProcess.Run([.. args, "--save_dir", SaveDir]);

            Assert.Equal((exitCode, inProcess.Stderr), (process.ExitCode, process.Stderr));
            Assert.False(Directory.Exists(SaveDir));
        }
    }

    [Fact]
    public void CudaWithoutAGpuIsNamed()
    {
        AssertRejected(1,
            "--device cuda: No CUDA device is available (this build uses the CPU libtorch unless built with -p:TorchBackend=cuda). Use " +
                "--device cpu or auto.",
            "-t", "--device", "cuda");
    }

    [Fact]
    public void MissingDataFolderIsNamed()
    {
        AssertRejected(1, "Data set '/nonexistent/mnist' is neither a known data set (mnist, fashion-mnist, multimnist) nor a folder.",
            "-t", "--data_dir", "/nonexistent/mnist");
    }

    [Fact]
    public void MissingDataFileIsNamed()
    {
        string dir = _dir.File("data");
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(RepoPaths.MnistDir, "t10k-labels-idx1-ubyte.gz"), Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"));

        AssertRejected(1, $"IDX file '{dir}/t10k-images-idx3-ubyte.gz' not found", "-t", "--data_dir", dir);
    }

    [Fact]
    public void WrongMagicNumberIsNamed()
    {
        string dir = DataWith("t10k-images-idx3-ubyte", TestLabels());

        AssertRejected(1, "t10k-images-idx3-ubyte' has magic number 0x00000801, expected 0x00000803", "-t", "--data_dir", dir);
    }

    [Fact]
    public void TruncatedFileIsNamed()
    {
        string dir = DataWith("t10k-labels-idx1-ubyte", TestLabels()[..5000]);

        AssertRejected(1, "t10k-labels-idx1-ubyte' is truncated: 5,000 bytes, its header (10000) needs 10,008", "-t", "--data_dir", dir);
    }

    [Fact]
    public void GzipInflatingFarPastItsHeaderIsRefused()
    {
        // Ten images declared, 100 MB of zeros behind them (100 KB compressed).
        var bomb = new MemoryStream();
        using (var gzip = new GZipStream(bomb, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write([0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28]);
            gzip.Write(new byte[100 << 20]);
        }
        string dir = DataWith("t10k-labels-idx1-ubyte", TestLabels());
        File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), bomb.ToArray());

        AssertRejected(1, "t10k-images-idx3-ubyte.gz' has more bytes than the 7,856 its header (10x28x28) describes.", "-t", "--data_dir",
            dir);
    }

    [Fact]
    public void ImageAndLabelCountMismatchIsNamed()
    {
        byte[] labels = TestLabels()[..9008];
        labels[6] = 0x23;  // header count 10000 (0x2710) becomes 9000 (0x2328)
        labels[7] = 0x28;

        AssertRejected(1, "The IDX files hold 10000 images but 9000 labels.", "-t", "--data_dir", DataWith("t10k-labels-idx1-ubyte",
            labels));
    }

    [Fact]
    public void DamagedShippedCopyFailsItsChecksumWithAHint()
    {
        // The known sets are looked for in data/NAME under the working folder first: a damaged copy there.
        byte[] labels = TestLabels();
        labels[100] = (byte)((labels[100] + 1) % 10);
        string dir = DataWith("t10k-labels-idx1-ubyte", labels);
        string work = _dir.File("work");
        Directory.CreateDirectory(Path.Combine(work, "data"));
        Directory.Move(dir, Path.Combine(work, "data", "mnist"));

        AssertRejectedIn(work, 1, "t10k-labels-idx1-ubyte' fails its checksum: MD5 of the decompressed bytes is", "-t", "--dataset",
            "mnist");
        Assert.Contains("copy it again", CapsNetProcess.RunIn(work, "-t", "--save_dir", SaveDir).Stderr);
    }

    [Fact]
    public void AnotherIdxSetInAFolderIsNotChecksummed()
    {
        // A folder is any MNIST-format set: changed labels are data, not damage.
        byte[] labels = TestLabels()[..1008];
        labels[6] = 0x03;  // header count 10000 (0x2710) becomes 1000 (0x03e8)
        labels[7] = 0xe8;
        byte[] images = new byte[16 + 1000 * 784];
        TestImageHeader(1000).CopyTo(images, 0);

        var (exitCode, stdout, stderr) = CapsNetInProcess.Run("test", "--data_dir", DataWith("t10k-labels-idx1-ubyte", labels, images),
            "--save_dir", SaveDir, "--digit", "3");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("Test acc: ", stdout);
    }

    [Fact]
    public void PlainBytesInAGzNameAreNamed()
    {
        string dir = DataWith("t10k-labels-idx1-ubyte", []);
        File.Move(Path.Combine(dir, "t10k-labels-idx1-ubyte"), Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"));
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), TestLabels());

        AssertRejected(1, "t10k-labels-idx1-ubyte.gz' is not gzip data although its name ends in .gz", "-t", "--data_dir", dir);
    }

    [Fact]
    public void EmptyWeightsFileIsNamed()
    {
        string path = _dir.File("empty.pt");
        File.WriteAllBytes(path, []);

        AssertRejected(1, $"Weights file '{path}' is empty.", "-t", "-w", path);
    }

    [Fact]
    public void RandomBytesAndPngAreNotWeights()
    {
        string random = _dir.File("random.pt");
        File.WriteAllBytes(random, Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 256)).ToArray());
        string png = _dir.File("log.png");
        File.WriteAllBytes(png, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);

        AssertRejected(1, $"Weights file '{random}' is not a PyTorch state dict", "-t", "-w", random);
        AssertRejected(1, $"Weights file '{png}' is not a PyTorch state dict", "-t", "-w", png);
    }

    [Fact]
    public void MisfittingStateDictNamesEachTensor()
    {
        string path = EditedWeights.Write(_dir.File("weights.pt"), state =>
        {
            state.Remove("decoder.4.bias");
            state["extra.weight"] = zeros(2);
            state["conv1.bias"] = zeros(3);
        });

        AssertRejected(1,
            $"Weights file '{path}' does not fit this model: conv1.bias has shape [3] but the model needs [256]; missing decoder.4.bias; " +
                "unexpected extra.weight.", "-t", "-w", path);
    }

    [Fact]
    public void WeightsForAnotherClassCountAreNamed()
    {
        // Without its .json a weights file is read as an MNIST model's.
        string path = _dir.File("five.pt");
        using (var five = new CapsuleNetwork(new CapsNetConfig(Classes: 5), new Generator(1)))
            CapsNet.Model.WeightsFile.Save(five, path);
        File.Delete(_dir.File("five.json"));

        AssertRejected(1, "(weights for 5 classes, the model has 10)", "-t", "-w", path);
    }

    [Fact]
    public void WeightsWhoseJsonDisagreesWithTheirTensorsAreNamed()
    {
        string path = _dir.File("five.pt");
        using (var five = new CapsuleNetwork(new CapsNetConfig(Classes: 5), new Generator(1)))
            CapsNet.Model.WeightsFile.Save(five, path);
        File.WriteAllText(_dir.File("five.json"), File.ReadAllText(_dir.File("five.json")).Replace("\"classes\": 5", "\"classes\": 10")
            .Replace("\"class_names\": [", "\"class_names\": [\"5\", \"6\", \"7\", \"8\", \"9\", "));

        AssertRejected(1,
            $"Weights file '{path}' does not fit the model '{_dir.File("five.json")}' describes: digit_caps.weight has shape [5, 1152, " +
                "16, 8] but the model needs [10, 1152, 16, 8]", "-t", "-w", path);
    }

    [Fact]
    public void MnistDataForAFiveClassModelIsNamed()
    {
        // The .json rebuilds a 5-class model; MNIST has 10.
        string path = _dir.File("five.pt");
        using (var five = new CapsuleNetwork(new CapsNetConfig(Classes: 5), new Generator(1)))
            CapsNet.Model.WeightsFile.Save(five, path);

        AssertRejected(1, $"Weights '{path}' are for 1x28x28 images and 5 classes; the data set 'mnist' has 1x28x28 images and 10 classes.",
            "-t", "-w", path);
    }

    [Fact]
    public void DigitMissingFromTheTestSubsetIsNamedBeforeAnyImageIsWritten()
    {
        // The first three test images are 7, 2 and 1.
        AssertRejected(1, "The test set has no image of class 5 to manipulate.", "-t", "--test_samples", "3", "--digit", "5");
    }

    [Fact]
    public void CheckpointWithoutItsFieldsIsNamed()
    {
        Directory.CreateDirectory(SaveDir);
        File.WriteAllText(Path.Combine(SaveDir, "checkpoint.json"), "{}");

        var (exitCode, _, stderr) = CapsNetInProcess.Run("--resume", "--epochs", "2", "--train_samples", "100", "--test_samples", "100",
            "--save_dir", SaveDir);

        Assert.Equal(1, exitCode);
        Assert.Equal($"error: Cannot resume: '{Path.Combine(SaveDir, "checkpoint.json")}' is not a checkpoint (fields missing).",
            stderr.Trim());
        Assert.Single(Directory.GetFiles(SaveDir));
    }

    [Fact]
    public void SaveDirThatIsAFileIsNamed()
    {
        string file = _dir.File("taken");
        File.WriteAllText(file, "x");

        var (exitCode, _, stderr) = CapsNetInProcess.Run("-t", "--test_samples", "100", "--save_dir", file);

        Assert.Equal(1, exitCode);
        Assert.Equal($"error: --save_dir '{file}' is a file, not a folder.", stderr.Trim());
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public void UnwritableSaveDirIsNamed()
    {
        var (exitCode, _, stderr) = CapsNetInProcess.Run("-t", "--test_samples", "100", "--save_dir", "/proc/capsnet-result");

        Assert.Equal(1, exitCode);
        Assert.Equal("error: --save_dir '/proc/capsnet-result' is not writable: nothing can be created there.", stderr.Trim());
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void NanLossStopsTrainingNamingEpochAndBatchAndWritesNoEpochFiles()
    {
        // Finite weights (NaN ones are refused when loaded) that overflow: conv1 gives infinities, and the primary
        // capsules' weights of both signs turn them into NaN.
        using Scalar largest = float.MaxValue.ToScalar();
        string path = EditedWeights.Write(_dir.File("weights.pt"), state => state["conv1.weight"].fill_(largest));

        var (exitCode, stdout, stderr) = CapsNetInProcess.Run("-w", path, "--epochs", "1", "--train_samples", "200", "--test_samples",
            "100", "--save_dir", SaveDir);

        Assert.True(exitCode == 1, stdout + stderr);
        Assert.Equal("error: Training diverged: the loss is NaN at epoch 1, batch 1. The files of the last finished epoch are kept. Try " +
            "a smaller --lr.",
            stderr.Trim());
        Assert.Empty(Directory.GetFiles(SaveDir));
    }
}
