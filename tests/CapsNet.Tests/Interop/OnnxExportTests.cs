using CapsNet.Data;
using CapsNet.Imaging;
using CapsNet.Interop;
using CapsNet.Model;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using static TorchSharp.torch;

namespace CapsNet.Tests.Interop;

public sealed class OnnxExportTests : IDisposable
{
    private static readonly string[] Digits = Enumerable.Range(0, 10).Select(d => d.ToString()).ToArray();

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The ONNX model's outputs for <paramref name="images"/>, run in batches of <paramref name="batchSize"/>.</summary>
    private static (float[] Lengths, float[] Capsules, float[] Reconstruction) RunOnnx(InferenceSession session, Tensor images,
        int batchSize)
    {
        var lengths = new List<float>();
        var capsules = new List<float>();
        var reconstruction = new List<float>();
        int count = (int)images.shape[0];
        for (int start = 0; start < count; start += batchSize)
        {
            using Tensor batch = images[start..Math.Min(count, start + batchSize)];
            int[] dims = batch.shape.Select(d => (int)d).ToArray();
            var input = new DenseTensor(batch.contiguous().data<float>().ToArray(), dims);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("images", input)]);
            lengths.AddRange(results.Single(r => r.Name == "lengths").AsEnumerable<float>());
            capsules.AddRange(results.Single(r => r.Name == "capsules").AsEnumerable<float>());
            reconstruction.AddRange(results.Single(r => r.Name == "reconstruction").AsEnumerable<float>());
        }
        return (lengths.ToArray(), capsules.ToArray(), reconstruction.ToArray());
    }

    /// <summary>
    /// A seeded random model whose digit capsules are 1000x longer: at Glorot initialisation every capsule length is
    /// about 1e-6, where a 1e-4 tolerance would prove nothing; scaled, they spread over 0.005-0.4 on MNIST, nine
    /// classes are predicted, and the routing's agreements are far from uniform.
    /// </summary>
    private static CapsuleNetwork ScaledRandomModel(CapsNetConfig config)
    {
        var model = new CapsuleNetwork(config, new Generator(3));
        using var noGrad = no_grad();
        using Scalar scale = 1000.ToScalar();
        model.named_parameters().Single(p => p.name == "digit_caps.weight").parameter.mul_(scale);
        return model;
    }

    private static int[] Classes(float[] lengths, int classes) =>
        lengths.Chunk(classes).Select(row => Array.IndexOf(row, row.Max())).ToArray();

    [Theory]
    [InlineData(37)]
    [InlineData(1)]
    public void ExportedModelGivesTheClassesAndLengthsOfTheTorchSharpModel(int batchSize)
    {
        using var set = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Test, maxSamples: 100);
        using Tensor inputs = set.Images(0, set.Count);
        using var model = ScaledRandomModel(CapsNetConfig.Mnist);
        string path = _dir.File("capsnet.onnx");
        OnnxExport.Save(model, Digits, path, Preprocess.None);

        model.eval();
        using var noGrad = no_grad();
        var (expectedLengths, expectedImages) = model.forward(inputs, null);
        using Tensor expectedCapsules = model.Encode(inputs);
        using var session = new InferenceSession(path);
        var (lengths, capsules, images) = RunOnnx(session, inputs, batchSize);

        float[] expected = expectedLengths.data<float>().ToArray();
        int[] expectedClasses = Classes(expected, 10);
        Assert.True(expectedClasses.Distinct().Count() >= 4,
            $"random weights predict too few classes: {string.Join(",", expectedClasses.Distinct())}");
        Assert.True(expected.Max() > 1e-3, $"capsule lengths too small to compare: {expected.Max()}");
        Assert.Equal(expectedClasses, Classes(lengths, 10));
        AssertClose(expected, lengths, 1e-4);
        AssertClose(expectedCapsules.data<float>().ToArray(), capsules, 1e-4);
        AssertClose(expectedImages.data<float>().ToArray(), images, 1e-4);
    }

    [Fact]
    public void RoutingIsUnrolledForTheModelsRoutingCount()
    {
        using var set = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Test, maxSamples: 10);
        using Tensor images = set.Images(0, set.Count);
        var lengthsByRoutings = new List<float[]>();
        foreach (int routings in new[] { 1, 2 })
        {
            using var model = ScaledRandomModel(CapsNetConfig.Mnist with { Routings = routings });
            string path = _dir.File($"routings-{routings}.onnx");
            OnnxExport.Save(model, Digits, path, Preprocess.None);
            model.eval();
            using var noGrad = no_grad();
            using Tensor expected = Capsules.Length(model.Encode(images));
            using var session = new InferenceSession(path);

            float[] lengths = RunOnnx(session, images, batchSize: 10).Lengths;

            AssertClose(expected.data<float>().ToArray(), lengths, 1e-4);
            Assert.Equal(routings.ToString(), session.ModelMetadata.CustomMetadataMap["routings"]);
            lengthsByRoutings.Add(lengths);
        }
        double change = lengthsByRoutings[0].Zip(lengthsByRoutings[1], (a, b) => Math.Abs(a - b)).Max();
        Assert.True(change > 1e-2, $"one more routing iteration changed the lengths by only {change:G3}");
    }

    [Fact]
    public void ModelDeclaresItsShapesOpsetAndClassNames()
    {
        var config = new CapsNetConfig(InputChannels: 3, InputSide: 32, Classes: 4);
        string[] names = ["cat", "dog, small", "ship", "\"truck\""];
        using var model = new CapsuleNetwork(config, new Generator(1));
        string path = _dir.File("colour.onnx");

        OnnxExport.Save(model, names, path, Preprocess.Auto);

        using var session = new InferenceSession(path);
        Assert.Equal(names, System.Text.Json.JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap["class_names"]));
        Assert.Equal("[3,32,32]", session.ModelMetadata.CustomMetadataMap["input_shape"]);
        Assert.Equal([-1, 3, 32, 32], session.InputMetadata["images"].Dimensions);
        Assert.Equal([-1, 4], session.OutputMetadata["lengths"].Dimensions);
        Assert.Equal([-1, 4, 16], session.OutputMetadata["capsules"].Dimensions);
        Assert.Equal([-1, 3, 32, 32], session.OutputMetadata["reconstruction"].Dimensions);
        Assert.Equal(OnnxExport.Opset, Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).OpsetImport.Single().Version);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp"));
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"largest difference {worst:G3} exceeds {tolerance:G3}");
    }
}
