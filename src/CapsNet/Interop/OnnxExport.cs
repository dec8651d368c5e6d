using System.Reflection;
using System.Text.Json;
using CapsNet.Imaging;
using CapsNet.Model;
using TorchSharp;
using Google.Protobuf;
using Onnx;
using static CapsNet.Interop.OnnxGraphBuilder;

namespace CapsNet.Interop;

/// <summary>
/// The test-time CapsNet as an ONNX model, to run with ONNX Runtime and without libtorch. Input <c>images</c>
/// [N,C,H,W] float32 in [0,1]; outputs <c>lengths</c> [N,classes], <c>capsules</c> [N,classes,16] and
/// <c>reconstruction</c> [N,C,H,W] from the predicted class's capsule ([N,K,C,H,W] from the K longest capsules, longest
/// first, for a model of K labels an image). Float32 whatever the training precision.
/// With MNIST's digit preparation, the input is one <c>picture</c> [H,W] of any size, prepared inside the graph as
/// <c>predict</c> prepares it; N is 1, and the output <c>prepared</c> [1,C,S,S] is what the network saw.
/// </summary>
internal static class OnnxExport
{
    public const int Opset = 18;

    // The IR version that came with opset 18 (ONNX 1.13); runtimes read it and every later one.
    private const long IrVersion = 8;

    /// <summary>Writes the network of the weights at <paramref name="weights"/> as an ONNX model; returns its config.</summary>
    public static CapsNetConfig Export(string weights, string path, int routings, Preprocess preprocess)
    {
        OutputPath.EnsureNotInput(path, weights);
        OutputPath.EnsureNotInput(path, ConfigFile.PathFor(weights));
        using var given = GivenWeights.Open(weights, routings);
        MemoryPlan.EnsureFits(given.Config, batchSize: 1, training: false, Precision.Fp32);
        Preprocess resolved = ModelInput.Resolve(preprocess, given.Config.InputChannels);  // refused before anything is read or written
        using var model = CapsuleNetwork.Create(given.Config, seed: 0, Precision.Fp32, torch.CPU);
        given.LoadInto(model);
        OutputFolder.PrepareFor(path);
        Save(model, given.Config.Names, path, resolved);
        return given.Config;
    }

    /// <param name="classNames">One name per class, in class order; stored in the model's metadata.</param>
    /// <param name="preprocess">What <c>predict</c> would do to a picture for this model (Auto: its default); Mnist
    /// puts that preparation in the graph. Mnist for a colour model is refused.</param>
    public static void Save(CapsuleNetwork model, IReadOnlyList<string> classNames, string path, Preprocess preprocess)
    {
        ModelProto onnx = Build(model, classNames, ModelInput.Resolve(preprocess, model.Config.InputChannels));
        AtomicFile.Write(path, onnx.WriteTo);
    }

    private static ModelProto Build(CapsuleNetwork model, IReadOnlyList<string> classNames, Preprocess preprocess)
    {
        CapsNetConfig c = model.Config;
        if (classNames.Count != c.Classes)
            throw new ArgumentException($"{classNames.Count} class names for a model of {c.Classes} classes.", nameof(classNames));

        var g = new OnnxGraphBuilder();
        g.Graph.Name = "capsnet";
        bool prepares = preprocess == Preprocess.Mnist;
        object n = prepares ? 1 : "N";
        if (prepares)
        {
            OnnxPreprocessing.Add(g, c.InputSide);
            g.Graph.Input.Add(FloatTensor(OnnxPreprocessing.Picture, "H", "W"));
        }
        else
        {
            g.Graph.Input.Add(FloatTensor(OnnxCapsNetGraph.Images, n, c.InputChannels, c.InputSide, c.InputSide));
        }
        OnnxCapsNetGraph.Add(g, model, prepares ? OnnxPreprocessing.Prepared : OnnxCapsNetGraph.Images);
        g.Graph.Output.Add(FloatTensor(OnnxCapsNetGraph.Lengths, n, c.Classes));
        g.Graph.Output.Add(FloatTensor(OnnxCapsNetGraph.DigitCapsules, n, c.Classes, c.DigitCapsuleDim));
        g.Graph.Output.Add(FloatTensor(OnnxCapsNetGraph.Reconstruction, [n, .. OnnxCapsNetGraph.ReconstructionShape(c).Cast<object>()]));
        if (prepares)
            g.Graph.Output.Add(FloatTensor(OnnxPreprocessing.Prepared, n, c.InputChannels, c.InputSide, c.InputSide));

        var onnx = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "capsnet",
            ProducerVersion = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? "",
            DocString = "CapsNet (Sabour et al. 2017): the longest capsule is the predicted class.",
            Graph = g.Graph,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        onnx.MetadataProps.Add(Entry("class_names", JsonSerializer.Serialize(classNames)));
        onnx.MetadataProps.Add(Entry("input_shape", JsonSerializer.Serialize(new[] { c.InputChannels, c.InputSide, c.InputSide })));
        onnx.MetadataProps.Add(Entry("input_range", "[0, 1]"));
        onnx.MetadataProps.Add(Entry("routings", c.Routings.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        onnx.MetadataProps.Add(Entry("preprocess", prepares ? "mnist" : "none"));
        return onnx;
    }

    private static StringStringEntryProto Entry(string key, string value) => new() { Key = key, Value = value };
}
