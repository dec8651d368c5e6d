using System.Globalization;
using System.Text.RegularExpressions;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;
using SixLabors.ImageSharp;

namespace CapsNet.Tests.Training;

/// <summary>
/// Test mode in this process, on the first 100 MNIST test images or a small folder or MultiMNIST set: which weights and
/// data it tests (-w, save_dir's trained model, or random ones, each said), what it prints and the two pictures it writes.
/// </summary>
[Collection(ThreadCountCollection.Name)]
public sealed class TestSessionTests : IDisposable
{
    private static readonly string Shipped = Path.Combine(RepoPaths.Root, "models", "capsnet-mnist-v4.pt");

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SaveDir => _dir.File("out");

    private (string Output, double Accuracy) Test(params string[] more) => TestInto(SaveDir, ["--test_samples", "100", .. more]);

    private static (string Output, double Accuracy) TestInto(string saveDir, params string[] more)
    {
        var (exitCode, output, errors) = CapsNetInProcess.Run(["test", "--precision", "fp32", "--save_dir", saveDir, .. more]);
        Assert.True(exitCode == 0, output + errors);
        Assert.Equal("", errors);
        Match accuracy = Regex.Match(output, @"(?m)^Test acc: (\d\.\d{4})$");
        Assert.True(accuracy.Success, output);
        return (output, double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    private void CopyShippedInto(string folder)
    {
        Directory.CreateDirectory(folder);
        File.Copy(Shipped, Path.Combine(folder, RunFiles.TrainedModel));
        File.Copy(Path.ChangeExtension(Shipped, ".json"), Path.Combine(folder, "trained_model.json"));
    }

    [Fact]
    public void WeightsGivenWithWAreTestedAndBothPicturesWritten()
    {
        int threads = Math.Min(2, Environment.ProcessorCount);
        string output;
        double accuracy;
        try
        {
            (output, accuracy) = Test("-w", Shipped, "--digit", "3", "--threads", $"{threads}");
        }
        finally
        {
            TorchRuntime.SetThreads(1);  // as every test runs
        }

        Assert.Contains("Total params: 8,215,568", output);
        Assert.Contains($"Device: cpu, {threads} thread{(threads == 1 ? "" : "s")}, fp32 (as asked).", output);
        Assert.Contains($"Loaded weights from '{Shipped}'.", output);
        Assert.DoesNotContain("No weights", output);
        Assert.InRange(accuracy, 0.97, 1.0);  // the shipped model's error on all 10,000 is 0.34 %
        string reconstructions = Path.Combine(SaveDir, "real_and_recon.png"), manipulated = Path.Combine(SaveDir, "manipulate-3.png");
        Assert.Contains($"Reconstructed images are saved to '{reconstructions}'", output);
        Assert.Contains($"Manipulated result saved to '{manipulated}'", output);
        Assert.Equal((280, 280), (Image.Identify(reconstructions).Width, Image.Identify(reconstructions).Height));
        Assert.Equal((308, 448), (Image.Identify(manipulated).Width, Image.Identify(manipulated).Height));
    }

    [Fact]
    public void WithoutWTheFoldersTrainedModelIsTestedAndSaidSo()
    {
        CopyShippedInto(SaveDir);
        string trained = Path.Combine(SaveDir, RunFiles.TrainedModel);
        var (given, givenAccuracy) = Test("-w", Shipped);

        var (output, accuracy) = Test();

        Assert.DoesNotContain("No weights given", given);  // -w wins over the folder's model
        Assert.Contains($"No weights given (-w); using '{trained}'.", output);
        Assert.Contains($"Loaded weights from '{trained}'.", output);
        Assert.Equal(givenAccuracy, accuracy);  // the same weights
        Assert.True(File.Exists(Path.Combine(SaveDir, "manipulate-5.png")));  // the reference's --digit 5
    }

    [Fact]
    public void WithoutDatasetTheWeightsAreTestedOnTheirOwnDataSetWithTheirOwnArchitecture()
    {
        // 16x16 images, too small for the paper's two 9x9 convolutions, which two 5x5 ones take.
        string shapes = _dir.File("shapes"), weights = _dir.File("shapes.pt");
        ShapesFolder.Write(shapes, trainPerClass: 0, testPerClass: 4, side: 16);
        var config = new CapsNetConfig(InputChannels: 3, InputSide: 16, Classes: 3, ClassNames: ShapesFolder.Classes, Dataset: shapes)
        {
            Conv1Channels = 16, Conv1Kernel = 5, PrimaryChannels = 16, PrimaryKernel = 5,
        };
        using (var network = new CapsuleNetwork(config.Validate(), new TorchSharp.torch.Generator(1)))
            WeightsFile.Save(network, weights);

        var (output, accuracy) = Test("-w", weights);

        Assert.Contains($"Loaded weights from '{weights}'.", output);
        Assert.Equal(0, accuracy * 12 % 1, 3);  // a count of the folder's 12 images
        Assert.True(File.Exists(Path.Combine(SaveDir, "manipulate-2.png")));  // the last of three classes
    }

    [Fact]
    public void TwoDigitImagesAreTestedOnTheEvaluationPairsShiftedByThePairShiftGiven()
    {
        // A random network for MultiMNIST; each of the 20 test digits with a partner, shifted by up to 4 px unless told.
        byte[][] pictures = new[] { "paper", "4", "0" }.Select(shift =>
        {
            string saveDir = _dir.File($"shift-{shift}");
            var (_, accuracy) = TestInto(saveDir, ["--dataset", "multimnist", "--test_samples", "20",
                .. shift == "paper" ? Array.Empty<string>() : ["--pair_shift", shift]]);
            Assert.Equal(0, accuracy * 20 % 1, 3);  // a count of the 20 pairs
            string path = Path.Combine(saveDir, RunFiles.RealAndReconstructed);
            IImageInfo info = Image.Identify(path);
            Assert.Equal((360, 360, 24), (info.Width, info.Height, info.PixelType.BitsPerPixel));  // Figure 5: in red and green
            return File.ReadAllBytes(path);
        }).ToArray();

        Assert.Equal(pictures[0], pictures[1]);  // the paper's shift is 4
        Assert.NotEqual(pictures[1], pictures[2]);  // pairs drawn without a shift are other pictures
    }

    [Fact]
    public void WithoutAnyWeightsARandomNetworkIsTestedAndTheDataSetsWarningsAndClassNamesHold()
    {
        string shapes = _dir.File("shapes");
        ShapesFolder.Write(shapes, trainPerClass: 0, testPerClass: 5, side: 28);
        string square = ShapesFolder.LinkBackInto(shapes, "test");

        var (output, accuracy) = Test("--dataset", shapes, "--digit", "Square");

        Assert.Contains("No weights are provided. Will test using random initialized weights.", output);
        Assert.DoesNotContain("Loaded weights", output);
        Assert.Contains($"warning: '{Path.Combine(square, "again")}' leads back to '{square}', which holds it; not followed", output);
        Assert.Equal(0, accuracy * 15 % 1, 3);  // a count of the 15 images
        Assert.True(File.Exists(Path.Combine(SaveDir, "manipulate-2.png")));  // square is the third class
    }
}
