using System.Globalization;
using System.Text.RegularExpressions;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;
using SixLabors.ImageSharp;

namespace CapsNet.Tests.Training;

/// <summary>
/// Test mode in this process, on the first 100 MNIST test images: which weights it tests (-w, save_dir's trained model,
/// or random ones, each said), what it prints and the two pictures it writes.
/// </summary>
[Collection(ThreadCountCollection.Name)]
public sealed class TestSessionTests : IDisposable
{
    private static readonly string Shipped = Path.Combine(RepoPaths.Root, "models", "capsnet-mnist-v4.pt");

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SaveDir => _dir.File("out");

    private (string Output, double Accuracy) Test(params string[] more)
    {
        var (exitCode, output, errors) = CapsNetInProcess.Run(["test", "--test_samples", "100", "--precision", "fp32", "--save_dir",
            SaveDir, .. more]);
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
    public void WithoutDatasetTheDataSetTheWeightsWereTrainedOnIsTested()
    {
        string shapes = _dir.File("shapes"), weights = _dir.File("shapes.pt");
        ShapesFolder.Write(shapes, trainPerClass: 0, testPerClass: 4, side: 28);
        var config = new CapsNetConfig(InputChannels: 3, Classes: 3, ClassNames: ShapesFolder.Classes, Dataset: shapes);
        using (var network = new CapsuleNetwork(config, new TorchSharp.torch.Generator(1)))
            WeightsFile.Save(network, weights);

        var (output, accuracy) = Test("-w", weights);

        Assert.Contains($"Loaded weights from '{weights}'.", output);
        Assert.Equal(0, accuracy * 12 % 1, 3);  // a count of the folder's 12 images
        Assert.True(File.Exists(Path.Combine(SaveDir, "manipulate-2.png")));  // the last of three classes
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
