using CapsNet.Imaging;
using CapsNet.Interop;
using CapsNet.Model;
using CapsNet.Native;
using Spectre.Console;
using static TorchSharp.torch;

namespace CapsNet.Cli;

/// <summary><c>capsnet export -w MODEL --onnx OUT.onnx [--preprocess]</c>: the test-time network for ONNX Runtime.</summary>
public static class ExportHandler
{
    public static int Execute(string? weights, string onnx, int routings, Preprocess preprocess, IAnsiConsole console, TextWriter error) =>
        Failures.Report(error, () =>
        {
            if (weights is null)
                throw new UserInputException("Nothing to export: give -w MODEL.");
            CapsNetConfig config = GivenWeights.ReadConfig(weights, routings);
            using CapsuleNetwork model = ModelFactory.Build(config, weights, seed: 0, Precision.Fp32, TorchRuntime.SelectDevice(DeviceChoice.Cpu), console, summary: false);
            string? folder = Path.GetDirectoryName(Path.GetFullPath(onnx));
            if (folder is not null)
                OutputFolder.Prepare(folder);
            OnnxExport.Save(model, config.Names, onnx, preprocess);
            console.Line($"Exported '{weights}' ({ModelFactory.Shape(config)}, {config.Routings} routings) to '{onnx}' ({new FileInfo(onnx).Length:N0} bytes).");
            return 0;
        });
}
