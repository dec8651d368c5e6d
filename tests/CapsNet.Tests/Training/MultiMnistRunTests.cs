using System.Globalization;
using System.Text.RegularExpressions;
using CapsNet.Data;
using CapsNet.Imaging;
using CapsNet.Interop;
using CapsNet.Model;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;

namespace CapsNet.Tests.Training;

/// <summary>One short MultiMNIST run (2,000 pairs of 6,000 training digits, one epoch), then test mode and predict on it.</summary>
public sealed class MultiMnistRunFixture : IDisposable
{
    public MultiMnistRunFixture()
    {
        (TrainExitCode, TrainOutput, TrainErrors) = CapsNetInProcess.Run("train", "--dataset", "multimnist", "--epochs", "1",
            "--pairs_per_epoch", "2000", "--train_samples", "6000", "--test_samples", "500", "--batch_size", "50", "--precision", "bf16",
            "--save_dir", SaveDir);
    }

    private TempDirectory Directory { get; } = new();

    public string SaveDir => Directory.File("run");

    public string File(string name) => Directory.File(name);

    public int TrainExitCode { get; }
    public string TrainOutput { get; }
    public string TrainErrors { get; }

    public void Dispose() => Directory.Dispose();
}

public sealed class MultiMnistRunTests(MultiMnistRunFixture run) : IClassFixture<MultiMnistRunFixture>
{
    /// <summary>Two of ten classes at random: 1 in 45.</summary>
    private const double Chance = 1.0 / 45;

    private static byte Byte(float value) => ImageGrid.ToByte(value);

    private static double Figure(string output, string name) =>
        double.Parse(Regex.Match(output, $@"{name}: ([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public void AShortRunBeatsChanceClearlyOnTheTwoOfTwoMetric()
    {
        Assert.True(run.TrainExitCode == 0, run.TrainOutput + run.TrainErrors);
        Assert.Contains("Data: 2000 training pairs an epoch, drawn afresh from 6000 digits, and 500 validation (the test set) pairs " +
            "from 'multimnist' (1x36x36, 10 classes, two digits an image, shifted by up to 4 px).", run.TrainOutput);
        Assert.Contains("primary_caps (Reshape, Squash)    (None, 3200, 8)", run.TrainOutput);  // a 10x10 grid of 32
        // Right only when both classes are: 500 validation pairs, so a count; well above chance (11 of 500, sd 3.3).
        double accuracy = Figure(run.TrainOutput, "val_capsnet_accuracy");
        Assert.Equal(Math.Round(accuracy * 500), accuracy * 500, 6);
        Assert.InRange(accuracy, 2.25 * Chance, 1.0);
        CapsNetConfig config = ConfigFile.Read(Path.Combine(run.SaveDir, "trained_model.pt"))!;
        Assert.Equal((36, 2, "multimnist"), (config.InputSide, config.LabelsPerImage, config.Dataset));
    }

    [Fact]
    public void TestingScoresBothClassesAndDrawsFigureFive()
    {
        string saveDir = run.File("test");

        var (exitCode, output, errors) = CapsNetInProcess.Run("test", "-w", Path.Combine(run.SaveDir, "trained_model.pt"),
            "--test_samples", "500", "--batch_size", "50", "--precision", "bf16", "--digit", "3", "--save_dir", saveDir);

        Assert.True(exitCode == 0, output + errors);
        // The same 500 fixed pairs, weights, precision and batches as the run's validation.
        Assert.Equal(Figure(run.TrainOutput, "val_capsnet_accuracy"), Figure(output, "Test acc"), 4);
        // Figure 5: the first 50 test pairs in grey, under each its two reconstructions: the longest capsule's in red,
        // the second's in green, computed here again from the weights.
        using var figure = Image.Load<Rgb24>(Path.Combine(saveDir, "real_and_recon.png"));
        Assert.Equal((360, 360), (figure.Width, figure.Height));
        using DataSet data = DataSets.Load(new DataRequest("multimnist", WithTrain: false, TestSamples: 500));
        using ImageSet pairs = data.EvaluationPairs(data.Test);
        using var weights = GivenWeights.Open(Path.Combine(run.SaveDir, "trained_model.pt"));
        using var model = new CapsuleNetwork(weights.Config) { Precision = Precision.Bf16 };
        weights.LoadInto(model);
        model.eval();
        using (torch.no_grad())
        using (var scope = torch.NewDisposeScope())
        {
            Tensor inputs = pairs.Images(0, 50);
            float[] real = inputs.data<float>().ToArray();
            float[] drawn = model.forward(inputs, null).Reconstruction.data<float>().ToArray();  // [50,2,1,36,36]
            for (int tile = 0; tile < 50; tile++)
            {
                for (int p = 0; p < 36 * 36; p += 7)
                {
                    int x = tile % 10 * 36 + p % 36, y = tile / 10 * 36 + p / 36;
                    Assert.Equal(new Rgb24(Byte(real[tile * 1296 + p]), Byte(real[tile * 1296 + p]), Byte(real[tile * 1296 + p])), figure[x,
                        y]);
                    Rgb24 below = figure[x, y + 180];
                    Assert.InRange(below.R - Byte(drawn[(2 * tile) * 1296 + p]), -1, 1);
                    Assert.InRange(below.G - Byte(drawn[(2 * tile + 1) * 1296 + p]), -1, 1);
                    Assert.Equal(0, below.B);
                }
            }
        }
        Assert.True(File.Exists(Path.Combine(saveDir, "manipulate-3.png")));
    }

    /// <summary>Each row's two longest of ten capsule lengths, longest first.</summary>
    private static int[][] TwoLongest(float[] lengths) =>
        [.. lengths.Chunk(10).Select(row => row.Select((length, c) => (length, c)).OrderByDescending(p => p.length).Take(2).Select(p => p.c)
            .ToArray())];

    [Fact]
    public void TheExportedModelNamesAndDrawsBothDigitsAsTheTorchSharpModelDoes()
    {
        string weights = Path.Combine(run.SaveDir, "trained_model.pt"), onnx = run.File("multimnist.onnx");

        var (exitCode, output, errors) = CapsNetInProcess.Run("export", "-w", weights, "--onnx", onnx, "--preprocess", "none");

        Assert.True(exitCode == 0, output + errors);
        using var session = new InferenceSession(onnx);
        Assert.Equal([-1, 2, 1, 36, 36], session.OutputMetadata["reconstruction"].Dimensions);
        using DataSet data = DataSets.Load(new DataRequest("multimnist", WithTrain: false, TestSamples: 20));
        using ImageSet pairs = data.EvaluationPairs(data.Test);
        using var given = GivenWeights.Open(weights);
        using var model = new CapsuleNetwork(given.Config);  // fp32, as the export
        given.LoadInto(model);
        model.eval();
        using (torch.no_grad())
        using (var scope = torch.NewDisposeScope())
        {
            Tensor inputs = pairs.Images(0, 20);
            var (lengths, reconstruction) = model.forward(inputs, null);  // [20,10], [20,2,1,36,36]
            int[] dims = [20, 1, 36, 36];
            var input = new DenseTensor(inputs.data<float>().ToArray(), dims);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("images", input)]);
            float[] onnxLengths = results.Single(r => r.Name == "lengths").AsEnumerable<float>().ToArray();
            float[] onnxReconstruction = results.Single(r => r.Name == "reconstruction").AsEnumerable<float>().ToArray();

            float[] expected = lengths.data<float>().ToArray();
            int[][] named = TwoLongest(expected);
            Assert.True(named.Select(pair => (pair[0], pair[1])).Distinct().Count() >= 5, "too few pairs of classes to tell anything");
            Assert.Equal(named, TwoLongest(onnxLengths));
            Assert.InRange(expected.Zip(onnxLengths, (e, a) => Math.Abs(e - a)).Max(), 0, 1e-4);
            Assert.InRange(reconstruction.data<float>().ToArray().Zip(onnxReconstruction, (e, a) => Math.Abs(e - a)).Max(), 0, 1e-4);
        }
    }

    [Fact]
    public void PredictNamesTheTwoClassesOfAPair()
    {
        string pictures = run.File("pictures");
        Directory.CreateDirectory(pictures);
        using ImageSet digits = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Test, 20);
        MultiMnistBatch pair = MultiMnistPairs.Test(new MultiMnist(digits, seed: 1), count: 1).Take(0, 1);
        using (var image = Image.LoadPixelData<L8>(pair.Images, 36, 36))
            image.SaveAsPng(Path.Combine(pictures, "pair.png"));

        var (exitCode, output, errors) = CapsNetInProcess.Run("predict", "-w", Path.Combine(run.SaveDir, "trained_model.pt"), pictures,
            "--save_dir", run.File("predicted"));

        Assert.True(exitCode == 0, output + errors);
        Assert.Matches(@"pair\.png +\d \d +\d \d +0\.\d{4} 0\.\d{4} ", output);
        Assert.StartsWith("file,class,class_name,confidence,class2,class2_name,confidence2,runner_up",
            File.ReadAllText(Path.Combine(run.File("predicted"), "predictions.csv")));
    }
}
