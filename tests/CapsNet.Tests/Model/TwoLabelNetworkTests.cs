using CapsNet.Inference;
using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

/// <summary>
/// A network of two labels an image (MultiMNIST): the decoder runs once for each class, each time from that class's
/// capsule alone, and testing names the two longest capsules. A model of one label is unchanged.
/// </summary>
public sealed class TwoLabelNetworkTests
{
    // Weights scaled up as GrownNetwork's: at initialisation the capsules are too short for the masks to matter.
    internal static CapsuleNetwork Build(int labelsPerImage)
    {
        var model = new CapsuleNetwork(new CapsNetConfig(InputSide: 20, Classes: 4) { LabelsPerImage = labelsPerImage }, new Generator(3));
        using var noGrad = no_grad();
        GrownNetwork.Parameter(model, "digit_caps.weight").mul_(GrownNetwork.DigitCapsScale);
        foreach (string layer in new[] { "decoder.0.weight", "decoder.2.weight", "decoder.4.weight" })
            GrownNetwork.Parameter(model, layer).mul_(GrownNetwork.DecoderScale);
        return model;
    }

    [Fact]
    public void EachLabelIsReconstructedFromItsOwnCapsule()
    {
        using var model = Build(labelsPerImage: 2);
        using var noGrad = no_grad();
        using var x = rand([3, 1, 20, 20], generator: new Generator(5));
        using var labels = tensor(new long[] { 0, 2, 3, 1, 1, 0 }, [3, 2]);

        var (lengths, reconstruction) = model.forward(x, labels);
        using Tensor capsules = model.Encode(x);

        Assert.Equal([3, 4], lengths.shape);
        Assert.Equal([3, 2, 1, 20, 20], reconstruction.shape);
        for (int k = 0; k < 2; k++)
        {
            using Tensor alone = model.Decode(capsules, nn.functional.one_hot(labels[.., k], 4));
            Assert.True(reconstruction[.., k].allclose(alone, rtol: 0, atol: 1e-6), $"reconstruction {k} is not its own class's");
        }
        using Tensor other = model.Decode(capsules, nn.functional.one_hot(labels[.., 1], 4));
        Assert.False(reconstruction[.., 0].allclose(other, rtol: 0, atol: 1e-3));  // and the two differ
    }

    [Fact]
    public void TestingReconstructsTheTwoLongestCapsulesLongestFirst()
    {
        using var model = Build(labelsPerImage: 2);
        using var lengths = tensor(new float[] { 0.1f, 0.9f, 0.3f, 0.8f, 0.5f, 0.5f, 0.2f, 0.1f }, [2, 4]);

        Assert.Equal(new long[] { 1, 3, 0, 1 }, model.Predicted(lengths).data<long>().ToArray());  // a tie: the lower class first
        using var one = Build(labelsPerImage: 1);
        Assert.Equal([2], one.Predicted(lengths).shape);
    }

    [Fact]
    public void AModelOfTwoLabelsAndItsJsonSayItTakesTwo()
    {
        using var dir = new TempDirectory();
        using var model = Build(labelsPerImage: 2);
        WeightsFile.Save(model, dir.File("pairs.pt"));

        Assert.Contains("\"labels_per_image\": 2", File.ReadAllText(dir.File("pairs.json")));
        Assert.Equal(2, ConfigFile.Read(dir.File("pairs.pt"))!.LabelsPerImage);
        Assert.Equal("Each image shows 1 to 3 of the 4 classes, not 4.",
            Assert.Throws<UserInputException>(() => new CapsNetConfig(Classes: 4) { LabelsPerImage = 4 }.Validate()).Message);
    }

    [Fact]
    public void PredictionsOfTwoLabelsNameBothAndTheThirdAsRunnerUp()
    {
        var rows = new[] { new Prediction("pair.png", [0.1f, 0.7f, 0.05f, 0.9f]) };
        string[] names = ["a", "b", "c", "d"];

        string table = PredictionTable.Format(rows, names, labelsPerImage: 2);
        string csv = PredictionTable.Csv(rows, names, labelsPerImage: 2);

        Assert.Equal(
            "file      classes  names        lengths  runner-up  length\n" +
            "pair.png      3 1  d b    0.9000 0.7000  0 a        0.1000", table.ReplaceLineEndings("\n"));
        Assert.Equal(
            "file,class,class_name,confidence,class2,class2_name,confidence2,runner_up,runner_up_length," +
            "length_a,length_b,length_c,length_d\n" +
            "pair.png,3,d,0.9000,1,b,0.7000,0,0.1000,0.1000,0.7000,0.0500,0.9000\n", csv.ReplaceLineEndings("\n"));
    }
}
