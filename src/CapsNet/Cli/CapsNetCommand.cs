using System.CommandLine;
using System.CommandLine.Parsing;
using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;

namespace CapsNet.Cli;

/// <summary>The one place that defines the flags: the reference's, then ours in the same snake_case style.</summary>
public sealed class CapsNetCommand : RootCommand
{

    private static readonly RunSettings Defaults = new();

    private readonly Option<int> Epochs = new("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => Defaults.Epochs };
    private readonly Option<int> BatchSize = new("--batch_size") { Description = "Batch size for training, validation and testing", DefaultValueFactory = _ => Defaults.BatchSize };
    private readonly Option<double> Lr = new("--lr") { Description = "Initial Adam learning rate", DefaultValueFactory = _ => Defaults.Lr };
    private readonly Option<double> LrDecay = new("--lr_decay") { Description = "lr at epoch e (0-based) is lr * lr_decay^e", DefaultValueFactory = _ => Defaults.LrDecay };
    private readonly Option<double> LamRecon = new("--lam_recon") { Description = "Weight of the reconstruction loss (0.392 = 0.0005 x 784); 0 disables it", DefaultValueFactory = _ => Defaults.LamRecon };
    private readonly Option<int> Routings = new("--routings", "-r") { Description = "Routing iterations, at least 1", DefaultValueFactory = _ => Defaults.Routings };
    private readonly Option<double> ShiftFraction = new("--shift_fraction") { Description = "Max random shift of training images as a fraction of their side; 0 = none", DefaultValueFactory = _ => Defaults.ShiftFraction };
    private readonly Option<bool> Debug = new("--debug") { Description = "Also write weight histograms to TensorBoard each epoch" };
    private readonly Option<string> SaveDir = new("--save_dir") { Description = "Output folder, created if missing", DefaultValueFactory = _ => Defaults.SaveDir };
    private readonly Option<bool> Testing = new("--testing", "-t") { Description = "Test the trained model on the test set (no training)" };
    private readonly Option<int> Digit = new("--digit") { Description = "Class whose capsule is manipulated in manipulate-{digit}.png", DefaultValueFactory = _ => Defaults.Digit };
    private readonly Option<string?> Weights = new("--weights", "-w") { Description = "Weights (.pt) to load before training (fine-tune) or testing" };
    private readonly Option<int> Seed = new("--seed") { Description = "Seed for initialisation, shuffling, augmentation and the manipulated sample", DefaultValueFactory = _ => Defaults.Seed };
    private readonly Option<string> Device = new("--device") { Description = "auto (CUDA when available), cpu or cuda", DefaultValueFactory = _ => "auto" };
    private readonly Option<string> Precision = new("--precision") { Description = "fp32, or bf16 for bfloat16 convolutions and matrix products (float32 weights, losses and routing softmax)", DefaultValueFactory = _ => "fp32" };
    private readonly Option<int> Threads = new("--threads") { Description = "CPU threads for libtorch; 0 = one per core", DefaultValueFactory = _ => Defaults.Threads };
    private readonly Option<string?> DataDir = new("--data_dir") { Description = "Folder with the four MNIST files (.gz or plain) [default: data/mnist]" };
    private readonly Option<int?> TrainSamples = new("--train_samples") { Description = "Use only the first N training images" };
    private readonly Option<int?> TestSamples = new("--test_samples") { Description = "Use only the first N test images" };
    private readonly Option<bool> Resume = new("--resume") { Description = "Continue from the last checkpoint in save_dir: weights, optimiser state, epoch, lr schedule and the run's settings" };
    private readonly Option<bool> Overwrite = new("--overwrite") { Description = "Start a new run even where save_dir holds an unfinished one, removing its files" };

    public CapsNetCommand()
        : base("Train and test Capsule Networks (Sabour et al. 2017) on MNIST, like capsulenet.py.")
    {
        AtLeast(Epochs, 1);
        AtLeast(BatchSize, 1);
        AtLeast(Routings, 1);
        AtLeast(Threads, 0);
        Check(Lr, v => v > 0, "must be greater than 0");
        Check(LrDecay, v => v > 0, "must be greater than 0");
        Check(LamRecon, v => v >= 0, "must be 0 or more");
        Check(ShiftFraction, v => v is >= 0 and <= 0.5, "must be between 0 and 0.5");
        Check(Digit, v => v is >= 0 and <= 9, "must be a class from 0 to 9");
        Check(TrainSamples, v => v is null or >= 1, "must be at least 1");
        Check(TestSamples, v => v is null or >= 1, "must be at least 1");
        Device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        Precision.AcceptOnlyFromAmong("fp32", "bf16");
        Weights.Validators.Add(result =>
        {
            string? path = result.GetValueOrDefault<string?>();
            if (path is not null && !File.Exists(path))
                result.AddError($"Weights file '{path}' not found (--weights).");
        });

        foreach (Option option in new Option[] { Epochs, BatchSize, Lr, LrDecay, LamRecon, Routings, ShiftFraction, Debug, SaveDir,
                     Testing, Digit, Weights, Seed, Device, Precision, Threads, DataDir, TrainSamples, TestSamples, Resume, Overwrite })
            Options.Add(option);
        RunDefining = new RunDefiningFlags(Epochs, [BatchSize, Lr, LrDecay, LamRecon, Routings, ShiftFraction, Seed, Precision, TrainSamples, TestSamples]);
        Validators.Add(RejectContradictions);
        SetAction(Run);
    }

    /// <summary>The flags whose values a checkpoint stores, so that a resumed run continues the same computation.</summary>
    public RunDefiningFlags RunDefining { get; }

    public RunSettings Read(ParseResult parsed) => new()
    {
        Epochs = parsed.GetValue(Epochs),
        BatchSize = parsed.GetValue(BatchSize),
        Lr = parsed.GetValue(Lr),
        LrDecay = parsed.GetValue(LrDecay),
        LamRecon = parsed.GetValue(LamRecon),
        Routings = parsed.GetValue(Routings),
        ShiftFraction = parsed.GetValue(ShiftFraction),
        Debug = parsed.GetValue(Debug),
        SaveDir = parsed.GetValue(SaveDir)!,
        Testing = parsed.GetValue(Testing),
        Digit = parsed.GetValue(Digit),
        Weights = parsed.GetValue(Weights),
        Seed = parsed.GetValue(Seed),
        Device = Enum.Parse<DeviceChoice>(parsed.GetValue(Device)!, ignoreCase: true),
        Precision = Enum.Parse<Precision>(parsed.GetValue(Precision)!, ignoreCase: true),
        Threads = parsed.GetValue(Threads),
        DataDir = parsed.GetValue(DataDir) ?? DataFolder.Default(),
        TrainSamples = parsed.GetValue(TrainSamples),
        TestSamples = parsed.GetValue(TestSamples),
        Resume = parsed.GetValue(Resume),
        Overwrite = parsed.GetValue(Overwrite),
    };

    private void RejectContradictions(CommandResult result)
    {
        if (result.GetValue(Resume) && result.GetValue(Overwrite))
            result.AddError("--resume and --overwrite exclude each other: continue the run in save_dir, or start it over.");
        string saveDir = result.GetValue(SaveDir)!;
        if (!result.GetValue(Resume) || result.GetValue(Testing) || Checkpoint.ReadOrNull(saveDir) is not { } stored)
            return;
        if (RunDefining.Contradictions(result, stored) is { } differences)
            result.AddError($"Cannot resume '{saveDir}' with other settings: {differences}. Leave those flags out to continue the run as it was.");
    }

    // On --resume, the settings stored with the run stand in for the flags not given.
    private int Run(ParseResult parsed)
    {
        string[] args = parsed.Tokens.Select(t => t.Value).ToArray();
        string saveDir = parsed.GetValue(SaveDir)!;
        if (parsed.GetValue(Resume) && !parsed.GetValue(Testing) && Checkpoint.ReadOrNull(saveDir) is { } stored)
        {
            string[] storedArgs = RunDefining.StoredArguments(parsed.CommandResult, stored).ToArray();
            parsed = Parse([.. args, .. storedArgs]);
            if (parsed.Errors.Count > 0)
            {
                Console.Error.WriteLine($"error: '{Path.Combine(saveDir, Checkpoint.FileName)}' stores a setting this program refuses: {parsed.Errors[0].Message}");
                return RunCommand.Failure;
            }
            if (storedArgs.Length > 0)
                Console.WriteLine($"Stored settings of the run: {string.Join(" ", storedArgs)}");
        }
        return RunCommand.Execute(Read(parsed), args, RunDefining.ValuesOf(parsed.CommandResult));
    }

    private static void AtLeast(Option<int> option, int minimum) =>
        Check(option, v => v >= minimum, $"must be at least {minimum}");

    private static void Check<T>(Option<T> option, Func<T, bool> valid, string rule)
    {
        option.Validators.Add(result =>
        {
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return;  // not a T at all: the parser reports that itself
            }
            if (!valid(value))
                result.AddError($"{option.Name} {rule}, got {value}.");
        });
    }
}
