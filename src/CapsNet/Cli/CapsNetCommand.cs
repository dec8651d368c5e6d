using System.CommandLine;
using Spectre.Console;

namespace CapsNet.Cli;

/// <summary>
/// <c>capsnet train|test|predict</c>, and the reference's flat form (<c>capsnet [-t] [flags]</c>), which trains
/// or, with -t, tests, exactly as capsulenet.py does.
/// </summary>
public sealed class CapsNetCommand : RootCommand
{
    public CapsNetCommand(IAnsiConsole console, TextWriter error)
        : base("Train, test and use Capsule Networks (Sabour et al. 2017), like capsulenet.py. Without a command: " +
               "train, or test with -t, as capsulenet.py does.")
    {
        var options = Flags;
        Option[] training =
        [
            options.Epochs, options.BatchSize, options.Lr, options.LrDecay, options.LamRecon, options.Routings, options.ShiftFraction,
            options.Debug, options.SaveDir, options.Weights, options.Seed, options.Device, options.Precision, options.Threads,
            options.Dataset, options.DataDir, options.Channels, options.ImageSize, options.TrainSamples, options.TestSamples,
            options.ValSamples, options.Resume,
        ];
        Option[] testing =
        [
            options.BatchSize, options.Routings, options.SaveDir, options.Digit, options.Weights, options.Seed, options.Device,
            options.Precision, options.Threads, options.Dataset, options.DataDir, options.TestSamples,
        ];

        foreach (Option option in training.Union(testing).Append(options.Testing))
            Options.Add(option);
        SetAction(parsed => RunHandler.Execute(options.Read(parsed), parsed.Tokens.Select(t => t.Value).ToArray(), console, error));

        var train = new Command("train", "Train a CapsNet on a data set; writes log.csv, weights and checkpoints into --save_dir.");
        foreach (Option option in training)
            train.Options.Add(option);
        train.SetAction(parsed => RunHandler.Execute(options.Read(parsed, testing: false), parsed.Tokens.Select(t => t.Value).ToArray(), console, error));
        Subcommands.Add(train);

        var test = new Command("test", "Test trained weights on a data set's test images; writes real_and_recon.png and manipulate-{digit}.png.");
        foreach (Option option in testing)
            test.Options.Add(option);
        test.SetAction(parsed => RunHandler.Execute(options.Read(parsed, testing: true), parsed.Tokens.Select(t => t.Value).ToArray(), console, error));
        Subcommands.Add(test);

        var predict = new Command("predict", "Classify pictures (files or folders) with trained weights; prints a table and writes predictions.csv into --save_dir.");
        predict.Arguments.Add(options.Paths);
        foreach (Option option in new Option[] { options.Weights, options.Preprocess, options.Recon, options.SaveDir, options.BatchSize,
                     options.Device, options.Precision, options.Threads })
            predict.Options.Add(option);
        predict.SetAction(parsed => PredictHandler.Execute(options.ReadPredict(parsed), console, error));
        Subcommands.Add(predict);

        var input = new Argument<string>("IN.h5") { Description = "Keras weights as capsulenet.py saves them (model.save_weights)" };
        var output = new Argument<string>("OUT.pt") { Description = "Where to write the PyTorch state dict (and its .json)" };
        var convert = new Command("convert", "Convert the reference's Keras .h5 weights to our .pt format with its .json.") { input, output, options.Routings };
        convert.SetAction(parsed => ConvertHandler.Execute(parsed.GetValue(input)!, parsed.GetValue(output)!, parsed.GetValue(options.Routings), console, error));
        Subcommands.Add(convert);

        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write", Required = true };
        var export = new Command("export", "Export trained weights as an ONNX model of the test-time network, for ONNX Runtime.") { options.Weights, onnx, options.Routings };
        export.SetAction(parsed => ExportHandler.Execute(parsed.GetValue(options.Weights), parsed.GetValue(onnx)!, parsed.GetValue(options.Routings), console, error));
        Subcommands.Add(export);
    }

    /// <summary>The options every command draws on, one instance each.</summary>
    public CapsNetOptions Flags { get; } = new();
}
