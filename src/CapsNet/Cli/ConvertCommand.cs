using System.CommandLine;
using CapsNet.Interop;
using CapsNet.Model;

namespace CapsNet.Cli;

/// <summary><c>capsnet convert IN.h5 OUT.pt</c>: the reference's Keras weights in our format, with their .json.</summary>
internal sealed class ConvertCommand : Command
{
    public ConvertCommand(CapsNetOptions o, CapsNetContext context)
        : base("convert", "Convert the reference's Keras .h5 weights to our .pt format with its .json.")
    {
        var input = new Argument<FileInfo>("IN.h5") { Description = "Keras weights as capsulenet.py saves them (model.save_weights)" };
        var output = new Argument<FileInfo>("OUT.pt") { Description = "Where to write the PyTorch state dict (and its .json)" };
        Arguments.Add(input);
        Arguments.Add(output);
        Options.Add(o.Routings);
        SetAction(parsed => context.Report(() =>
        {
            string from = parsed.GetValue(input)!.ToString(), to = parsed.GetValue(output)!.ToString();
            CapsNetConfig config = KerasConvert.Convert(from, to, parsed.GetValue(o.Routings));
            context.Console.Line($"Converted '{from}' ({config.Shape}, {config.Routings} routings) to '{to}' and " +
                $"'{ConfigFile.PathFor(to)}'.");
            return 0;
        }));
    }
}
