using System.CommandLine;
using System.CommandLine.Parsing;
using CapsNet.Training;
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
            options.ValSamples, options.Resume, options.Overwrite,
        ];
        Option[] testing =
        [
            options.BatchSize, options.Routings, options.SaveDir, options.Digit, options.Weights, options.Seed, options.Device,
            options.Precision, options.Threads, options.Dataset, options.DataDir, options.TestSamples,
        ];

        _console = console;
        _error = error;
        RunDefining = new RunDefiningFlags(options.Epochs, [options.BatchSize, options.Lr, options.LrDecay, options.LamRecon, options.Routings,
            options.ShiftFraction, options.Seed, options.Precision, options.Dataset, options.DataDir, options.Channels, options.ImageSize,
            options.TrainSamples, options.TestSamples, options.ValSamples]);

        foreach (Option option in training.Union(testing).Append(options.Testing))
            Options.Add(option);
        Validators.Add(RejectContradictions);
        SetAction(parsed => Run(parsed, testing: null));

        var train = new Command("train", "Train a CapsNet on a data set; writes log.csv, weights and checkpoints into --save_dir.");
        foreach (Option option in training)
            train.Options.Add(option);
        train.Validators.Add(RejectContradictions);
        train.SetAction(parsed => Run(parsed, testing: false));
        Subcommands.Add(train);

        var test = new Command("test", "Test trained weights on a data set's test images; writes real_and_recon.png and manipulate-{digit}.png.");
        foreach (Option option in testing)
            test.Options.Add(option);
        test.SetAction(parsed => Run(parsed, testing: true));
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
        var export = new Command("export", "Export trained weights as an ONNX model of the test-time network, for ONNX Runtime; with " +
            "--preprocess mnist (grey models' default) it takes a picture as it is and prepares it as predict does.")
        {
            options.Weights, onnx, options.Routings, options.Preprocess,
        };
        export.SetAction(parsed => ExportHandler.Execute(parsed.GetValue(options.Weights), parsed.GetValue(onnx)!, parsed.GetValue(options.Routings),
            parsed.GetValue(options.Preprocess), console, error));
        Subcommands.Add(export);
    }

    private readonly IAnsiConsole _console;
    private readonly TextWriter _error;

    /// <summary>The options every command draws on, one instance each.</summary>
    public CapsNetOptions Flags { get; } = new();

    /// <summary>The flags whose values a checkpoint stores, so that a resumed run continues the same computation.</summary>
    public RunDefiningFlags RunDefining { get; }

    private void RejectContradictions(CommandResult result)
    {
        if (result.GetValue(Flags.Resume) && result.GetValue(Flags.Overwrite))
            result.AddError("--resume and --overwrite exclude each other: continue the run in save_dir, or start it over.");
        string saveDir = result.GetValue(Flags.SaveDir)!;
        if (!result.GetValue(Flags.Resume) || IsTesting(result) || Checkpoint.ReadOrNull(saveDir) is not { } stored)
            return;
        if (RunDefining.Contradictions(result, stored) is { } differences)
            result.AddError($"Cannot resume '{saveDir}' with other settings: {differences}. Leave those flags out to continue the run as it was.");
    }

    // Training or testing; on --resume, the settings stored with the run stand in for the flags not given.
    private int Run(ParseResult parsed, bool? testing)
    {
        string[] args = parsed.Tokens.Select(t => t.Value).ToArray();
        string saveDir = parsed.GetValue(Flags.SaveDir)!;
        if (parsed.GetValue(Flags.Resume) && !IsTesting(parsed.CommandResult) && Checkpoint.ReadOrNull(saveDir) is { } stored)
        {
            string[] storedArgs = RunDefining.StoredArguments(parsed.CommandResult, stored).ToArray();
            parsed = Parse([.. args, .. storedArgs]);
            if (parsed.Errors.Count > 0)
            {
                _error.WriteLine($"error: '{Path.Combine(saveDir, Checkpoint.FileName)}' stores a setting this program refuses: {parsed.Errors[0].Message}");
                return Failures.ExitCode;
            }
            if (storedArgs.Length > 0)
                _console.Line($"Stored settings of the run: {string.Join(" ", storedArgs)}");
        }
        return RunHandler.Execute(Flags.Read(parsed, testing), args, RunDefining.ValuesOf(parsed.CommandResult), _console, _error);
    }

    private bool IsTesting(CommandResult result) => result.Command.Name == "test" || (result.Command is RootCommand && result.GetValue(Flags.Testing));
}
