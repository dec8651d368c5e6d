using System.CommandLine;
using CapsNet.Interop;
using CapsNet.Model;

namespace CapsNet.Cli;

/// <summary><c>capsnet export -w MODEL --onnx OUT.onnx</c>: the test-time network for ONNX Runtime.</summary>
internal sealed class ExportCommand : Command
{
    public ExportCommand(CapsNetOptions o, CapsNetContext context)
        : base("export", "Export trained weights as an ONNX model of the test-time network, for ONNX Runtime; with " +
            "--preprocess mnist (grey models' default) it takes a picture as it is and prepares it as predict does.")
    {
        Option<FileInfo> onnx = CapsNetOptions.File("--onnx", "The ONNX file to write");
        Options.Add(o.Weights);
        Options.Add(onnx);
        Options.Add(o.Routings);
        Options.Add(o.Preprocess);
        SetAction(parsed => context.Report(() =>
        {
            string weights = parsed.GetValue(o.Weights)?.ToString() ?? throw new UsageException("Nothing to export: give -w MODEL.");
            string to = parsed.GetValue(onnx)!.ToString();
            CapsNetConfig config = OnnxExport.Export(weights, to, parsed.GetValue(o.Routings), parsed.GetValue(o.Preprocess));
            context.Console.Line($"Exported '{weights}' ({config.Shape}, {config.Routings} routings) to '{to}' " +
                $"({new FileInfo(to).Length:N0} bytes).");
            return 0;
        }));
    }
}
