using System.CommandLine;
using CapsNet.Imaging;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;

namespace CapsNet.Cli;

/// <summary>
/// Every option, defined once: a command that takes an option adds this same instance, so its name, help,
/// default and checks are the same wherever it appears. The reference's flags first, then ours in its style.
/// </summary>
public sealed class CapsNetOptions
{
    private static readonly RunSettings Defaults = new();

    public Option<int> Epochs { get; } = new("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => Defaults.Epochs };
    public Option<int> BatchSize { get; } = new("--batch_size") { Description = "Batch size for training, validation, testing and prediction", DefaultValueFactory = _ => Defaults.BatchSize };
    public Option<double> Lr { get; } = new("--lr") { Description = "Initial Adam learning rate", DefaultValueFactory = _ => Defaults.Lr };
    public Option<double> LrDecay { get; } = new("--lr_decay") { Description = "lr at epoch e (0-based) is lr * lr_decay^e", DefaultValueFactory = _ => Defaults.LrDecay };
    public Option<double> LamRecon { get; } = new("--lam_recon") { Description = "Weight of the reconstruction loss (0.392 = 0.0005 x 784); 0 disables it", DefaultValueFactory = _ => Defaults.LamRecon };
    public Option<int> Routings { get; } = new("--routings", "-r") { Description = "Routing iterations, at least 1 (testing: only for weights without a .json)", DefaultValueFactory = _ => Defaults.Routings };
    public Option<double> ShiftFraction { get; } = new("--shift_fraction") { Description = "Max random shift of training images as a fraction of their side; 0 = none", DefaultValueFactory = _ => Defaults.ShiftFraction };
    public Option<bool> Debug { get; } = new("--debug") { Description = "Also write weight histograms to TensorBoard each epoch" };
    public Option<string> SaveDir { get; } = new("--save_dir") { Description = "Output folder, created if missing", DefaultValueFactory = _ => Defaults.SaveDir };
    public Option<bool> Testing { get; } = new("--testing", "-t") { Description = "Test the trained model on the test set (no training)" };
    public Option<string?> Digit { get; } = new("--digit") { Description = "Class (number or name) whose capsule is manipulated in manipulate-{digit}.png [default: 5, or the last class of a model with fewer]" };
    public Option<string?> Weights { get; } = new("--weights", "-w") { Description = "Weights (.pt) to load before training (fine-tune), testing or predicting; their .json says what model they hold" };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed for initialisation, shuffling, augmentation and the manipulated sample", DefaultValueFactory = _ => Defaults.Seed };
    public Option<DeviceChoice> Device { get; } = new("--device") { Description = "auto (CUDA when available), cpu or cuda", DefaultValueFactory = _ => Defaults.Device };
    public Option<Precision> Precision { get; } = new("--precision") { Description = "fp32, or bf16 for bfloat16 convolutions and matrix products (float32 weights, losses and routing softmax)", DefaultValueFactory = _ => Defaults.Precision };
    public Option<int> Threads { get; } = new("--threads") { Description = "CPU threads for libtorch; 0 = one per core", DefaultValueFactory = _ => Defaults.Threads };
    public Option<string?> Dataset { get; } = new("--dataset") { Description = "mnist, fashion-mnist, a folder of the four MNIST-format IDX files, or a folder of train/CLASS/* and test/CLASS/* images [default: mnist; testing: the model's]" };
    public Option<string?> DataDir { get; } = new("--data_dir") { Description = "A data folder, as for --dataset" };
    public Option<int?> Channels { get; } = new("--channels") { Description = "Image folders: 1 (grey) or 3 (colour) instead of what the images are" };
    public Option<int?> ImageSize { get; } = new("--image_size") { Description = "Image folders: resize every image to this side" };
    public Option<int?> TrainSamples { get; } = new("--train_samples") { Description = "Use only the first N training images" };
    public Option<int?> TestSamples { get; } = new("--test_samples") { Description = "Use only the first N test images" };
    public Option<int?> ValSamples { get; } = new("--val_samples") { Description = "Hold out the last N training images and validate on them instead of the test set" };
    public Option<Preprocess> Preprocess { get; } = new("--preprocess") { Description = "auto: MNIST's digit preparation for grey models (grey, ink light on dark, cropped, fitted into 20x20, centred by mass in 28x28), a resize for colour ones; mnist; none: resize only", DefaultValueFactory = _ => Imaging.Preprocess.Auto };
    public Option<bool> Recon { get; } = new("--recon") { Description = "Also write recon.png: each input as the network saw it beside its reconstruction" };
    public Argument<string[]> Paths { get; } = new("PATH") { Description = "Picture files, or folders searched recursively for PNG, JPEG, BMP, GIF, TIFF and WebP", Arity = ArgumentArity.OneOrMore };
    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue from the last checkpoint in save_dir: weights, optimiser state, epoch, lr schedule and the run's settings" };
    public Option<bool> Overwrite { get; } = new("--overwrite") { Description = "Start a new run even where save_dir holds an unfinished one, removing its files" };

    public CapsNetOptions()
    {
        AtLeast(Epochs, 1);
        AtLeast(BatchSize, 1);
        AtLeast(Routings, 1);
        AtLeast(Threads, 0);
        Check(Lr, v => v > 0, "must be greater than 0");
        Check(LrDecay, v => v > 0, "must be greater than 0");
        Check(LamRecon, v => v >= 0, "must be 0 or more");
        Check(ShiftFraction, v => v is >= 0 and <= 0.5, "must be between 0 and 0.5");
        Check(TrainSamples, v => v is null or >= 1, "must be at least 1");
        Check(TestSamples, v => v is null or >= 1, "must be at least 1");
        Check(ValSamples, v => v is null or >= 1, "must be at least 1");
        Check(Channels, v => v is null or 1 or 3, "must be 1 or 3");
        Check(ImageSize, v => v is null or >= CapsNetConfig.MinimumSide, $"must be at least {CapsNetConfig.MinimumSide}, the smallest side CapsNet's two 9x9 convolutions take");
        Words(Device, "auto", "cpu", "cuda");
        Words(Precision, "fp32", "bf16");
        Words(Preprocess, "auto", "mnist", "none");
        Weights.Validators.Add(result =>
        {
            string? path = result.GetValueOrDefault<string?>();
            if (path is not null && !File.Exists(path))
                result.AddError($"Weights file '{path}' not found (--weights).");
        });
    }

    /// <summary>What the training and testing options say; <paramref name="testing"/> is the verb's, else -t's.</summary>
    public RunSettings Read(ParseResult parsed, bool? testing = null)
    {
        string? dataset = parsed.GetValue(Dataset), dataDir = parsed.GetValue(DataDir);
        return new RunSettings
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
            Testing = testing ?? parsed.GetValue(Testing),
            Digit = parsed.GetValue(Digit),
            Weights = parsed.GetValue(Weights),
            Seed = parsed.GetValue(Seed),
            Device = parsed.GetValue(Device),
            Precision = parsed.GetValue(Precision),
            Threads = parsed.GetValue(Threads),
            Dataset = dataset ?? dataDir,
            Channels = parsed.GetValue(Channels),
            ImageSize = parsed.GetValue(ImageSize),
            TrainSamples = parsed.GetValue(TrainSamples),
            TestSamples = parsed.GetValue(TestSamples),
            ValSamples = parsed.GetValue(ValSamples),
            Resume = parsed.GetValue(Resume),
            Overwrite = parsed.GetValue(Overwrite),
        };
    }

    /// <summary>What <c>capsnet predict</c> is told.</summary>
    public PredictSettings ReadPredict(ParseResult parsed) => new(
        parsed.GetValue(Paths)!, parsed.GetValue(Weights), parsed.GetValue(Preprocess), parsed.GetValue(Recon), parsed.GetValue(SaveDir)!,
        parsed.GetValue(BatchSize), parsed.GetValue(Device), parsed.GetValue(Precision), parsed.GetValue(Threads));

    /// <summary>An enum option spelled in lower case on the command line, as the reference spells its flags.</summary>
    private static void Words<T>(Option<T> option, params string[] words)
        where T : struct, Enum
    {
        option.AcceptOnlyFromAmong(words);
        option.CustomParser = result => result.Tokens.Count == 0 ? option.DefaultValueFactory!(result) : Enum.Parse<T>(result.Tokens[0].Value, ignoreCase: true);
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
