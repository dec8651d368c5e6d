using CapsNet.Cli;
using CapsNet.Model;
using CapsNet.Tests.Interop;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace CapsNet.Tests.Cli;

/// <summary><c>capsnet convert</c>, <c>export</c>, and Keras weights where any weights are taken, run in this process.</summary>
public sealed class InteropCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = CapsNetApp.Run(args, TestConsole.Create(output), error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private string KerasFile(CapsNetConfig config)
    {
        using var model = new CapsuleNetwork(config, new Generator(5));
        return KerasLayout.Of(model, KerasLayout.Keras20Dense).Write(_dir.File("trained_model.h5"));
    }

    [Fact]
    public void ConvertWritesOurWeightsAndTheirJsonWhichTestThenUses()
    {
        string h5 = KerasFile(CapsNetConfig.Mnist);
        string pt = _dir.File("converted/model.pt");

        var convert = Run("convert", h5, pt);
        var test = Run("test", "-w", pt, "--test_samples", "100", "--save_dir", _dir.File("out"));
        var testH5 = Run("test", "-w", h5, "--test_samples", "100", "--save_dir", _dir.File("out-h5"));

        Assert.True(convert.ExitCode == 0, convert.Error);
        Assert.Equal($"Converted '{h5}' (1x28x28 images and 10 classes, 3 routings) to '{pt}' and '{_dir.File("converted/model.json")}'.",
            convert.Output.Trim());
        Assert.True(test.ExitCode == 0, test.Error);
        Assert.True(testH5.ExitCode == 0, testH5.Error);
        string accuracy = test.Output.Split('\n').Single(line => line.StartsWith("Test acc: "));
        Assert.Equal(accuracy, testH5.Output.Split('\n').Single(line => line.StartsWith("Test acc: ")));
    }

    [Fact]
    public void ConvertRefusesWhatIsNotKerasWeights()
    {
        string text = _dir.File("notes.h5");
        File.WriteAllText(text, "hello");

        var result = Run("convert", text, _dir.File("out.pt"));

        Assert.Equal((1, $"error: '{text}' is not a Keras .h5 weights file (no HDF5 signature); convert reads those."), (result.ExitCode,
            result.Error.Trim()));
        Assert.False(File.Exists(_dir.File("out.pt")));
    }

    [Fact]
    public void ExportWritesAnOnnxModelOfTheWeightsShapeThatOnnxRuntimeOpens()
    {
        string pt = _dir.File("colour.pt");
        using (var model = new CapsuleNetwork(new CapsNetConfig(3, 32, 4, ClassNames: ["cat", "dog", "fox", "owl"]), new Generator(2)))
            WeightsFile.Save(model, pt);
        string onnx = _dir.File("exported/colour.onnx");

        var result = Run("export", "-w", pt, "--onnx", onnx);

        Assert.True(result.ExitCode == 0, result.Error);
        using var session = new InferenceSession(onnx);
        Assert.Equal([-1, 3, 32, 32], session.InputMetadata["images"].Dimensions);
        Assert.Equal("[\"cat\",\"dog\",\"fox\",\"owl\"]", session.ModelMetadata.CustomMetadataMap["class_names"]);
    }

    [Fact]
    public void ExportPutsPredictsPreparationInAGreyModelUnlessToldNone()
    {
        string pt = _dir.File("grey.pt");
        using (var model = new CapsuleNetwork(CapsNetConfig.Mnist, new Generator(2)))
            WeightsFile.Save(model, pt);

        var preparing = Run("export", "-w", pt, "--onnx", _dir.File("preparing.onnx"));
        var plain = Run("export", "-w", pt, "--onnx", _dir.File("plain.onnx"), "--preprocess", "none");

        Assert.True(preparing.ExitCode == 0, preparing.Error);
        Assert.True(plain.ExitCode == 0, plain.Error);
        using var picture = new InferenceSession(_dir.File("preparing.onnx"));
        Assert.Equal([-1, -1], picture.InputMetadata["picture"].Dimensions);
        Assert.Equal("mnist", picture.ModelMetadata.CustomMetadataMap["preprocess"]);
        using var images = new InferenceSession(_dir.File("plain.onnx"));
        Assert.Equal([-1, 1, 28, 28], images.InputMetadata["images"].Dimensions);
        Assert.Equal("none", images.ModelMetadata.CustomMetadataMap["preprocess"]);
    }

    [Fact]
    public void ExportRefusesMnistPreparationForAColourModelInOneLine()
    {
        string pt = _dir.File("colour.pt");
        using (var model = new CapsuleNetwork(new CapsNetConfig(3, 32, 4), new Generator(2)))
            WeightsFile.Save(model, pt);
        string onnx = _dir.File("colour.onnx");

        var result = Run("export", "-w", pt, "--onnx", onnx, "--preprocess", "mnist");

        Assert.Equal((1,
            "error: --preprocess mnist: MNIST's digit preparation is for grey models; this model takes colour images. Use --preprocess " +
                "auto or none."),
            (result.ExitCode, result.Error.Trim()));
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public void ExportWithoutWeightsIsNamed()
    {
        var result = Run("export", "--onnx", _dir.File("x.onnx"));

        Assert.Equal((2, "error: Nothing to export: give -w MODEL."), (result.ExitCode, result.Error.Trim()));  // a flag missing
    }
}
