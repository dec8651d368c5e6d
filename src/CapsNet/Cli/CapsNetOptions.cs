using System.CommandLine;
using System.CommandLine.Parsing;
using CapsNet.Data;
using CapsNet.Imaging;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;

namespace CapsNet.Cli;

/// <summary>
/// Every option, defined once: a command that takes an option adds this same instance, so its name, help, default
/// and checks are the same wherever it appears. Defaults come from the configs, bounds from their
/// <c>...Problem</c> functions. The reference's flags first, then ours in its style.
/// </summary>
internal sealed class CapsNetOptions
{
    private static readonly TrainingConfig Training = new();

    public Option<int> Epochs { get; } = new("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => Training.Epochs };
    public Option<int> BatchSize { get; } = new("--batch_size")
    {
        Description = "Batch size for training, validation, testing and prediction", DefaultValueFactory = _ => Training.BatchSize,
    };
    public Option<double> Lr { get; } = new("--lr") { Description = "Initial Adam learning rate", DefaultValueFactory = _ => Training.Lr };
    public Option<double> LrDecay { get; } = new("--lr_decay")
    {
        Description = "lr at epoch e (0-based) is lr * lr_decay^e", DefaultValueFactory = _ => Training.LrDecay,
    };
    public Option<double> LamRecon { get; } = new("--lam_recon")
    {
        Description = "Weight of the reconstruction loss (0.392 = 0.0005 x 784); 0 disables it",
            DefaultValueFactory = _ => Training.LamRecon,
    };
    public Option<int> Routings { get; } = new("--routings", "-r")
    {
        Description = $"Routing iterations, 1 to {CapsNetConfig.MaxRoutings} (testing, predicting, converting and exporting: for weights " +
            "without a .json)",
        DefaultValueFactory = _ => CapsNetConfig.DefaultRoutings,
    };
    public Option<double> ShiftFraction { get; } = new("--shift_fraction")
    {
        Description = "Max random shift of training images as a fraction of their side; 0 = none",
            DefaultValueFactory = _ => Training.ShiftFraction,
    };
    public Option<bool> Debug { get; } = new("--debug") { Description = "Also write weight histograms to TensorBoard each epoch" };
    public Option<DirectoryInfo> SaveDir { get; } = new("--save_dir")
    {
        Description = "Output folder, created if missing", DefaultValueFactory = _ => new DirectoryInfo("./result"),
    };
    public Option<bool> Testing { get; } = new("--testing", "-t") { Description = "Test the trained model on the test set (no training)" };
    public Option<string?> Digit { get; } = new("--digit")
    {
        Description = "Class (number or name) whose capsule is manipulated in manipulate-{digit}.png [default: 5, or the last class of a " +
            "model with fewer]",
    };
    public Option<FileInfo?> Weights { get; } = new("--weights", "-w")
    {
        Description = "Weights (.pt, or Keras .h5) to load before training (fine-tune), testing or predicting; their .json says what " +
            "model they hold",
    };
    public Option<int> Seed { get; } = new("--seed")
    {
        Description = "Seed for initialisation, shuffling, augmentation and the manipulated sample",
            DefaultValueFactory = _ => Training.Seed,
    };
    public Option<DeviceChoice> Device { get; } = new("--device") { Description = "auto (CUDA when available), cpu or cuda" };
    public Option<PrecisionChoice> Precision { get; } = new("--precision")
    {
        Description = "auto: bf16 where the processor multiplies bfloat16 natively (AVX512_BF16 or AMX-BF16), else fp32; fp32; " +
            "or bf16: bfloat16 convolutions and matrix products (float32 weights, losses and routing softmax)",
        DefaultValueFactory = _ => Training.Precision,
    };
    public Option<int> Threads { get; } = new("--threads") { Description = "CPU threads for libtorch; 0 = one per core" };
    public Option<string?> Dataset { get; } = new("--dataset", "--data_dir")
    {
        Description = "mnist, fashion-mnist, multimnist (pairs of MNIST digits overlaid, as in the paper), a folder of the four " +
            "MNIST-format IDX files, or a folder of train/CLASS/* and test/CLASS/* images " +
            "(--data_dir is the reference-era name) [default: mnist; testing: the model's]",
    };
    public Option<int?> Channels { get; } = new("--channels") { Description = "Image folders: 1 (grey) or 3 (colour) instead of what the " +
        "images are" };
    public Option<int?> ImageSize { get; } = new("--image_size") { Description = "Image folders: resize every image to this side" };
    public Option<int?> TrainSamples { get; } = new("--train_samples") { Description = "Use only the first N training images" };
    public Option<int?> TestSamples { get; } = new("--test_samples") { Description = "Use only the first N test images" };
    public Option<int?> ValSamples { get; } = new("--val_samples")
    {
        Description = "Hold out the last N training images and validate on them instead of the test set",
    };
    public Option<int?> PairShift { get; } = new("--pair_shift")
    {
        Description = $"multimnist: the largest shift of each digit of a pair, in pixels, on each axis [default: " +
            $"{Data.MultiMnist.PaperShift}, " +
            "the paper's; its authors' code used 6]",
    };
    public Option<int?> PairsPerEpoch { get; } = new("--pairs_per_epoch")
    {
        Description = $"multimnist: the pairs each training epoch draws afresh [default: {Data.MultiMnist.DefaultEpochPairs:N0}]",
    };
    public Option<Preprocess> Preprocess { get; } = new("--preprocess")
    {
        Description = "auto: MNIST's digit preparation for grey models (grey, ink light on dark, cropped, fitted into 20x20, centred by " +
            "mass " +
            "in 28x28), a resize for colour ones; mnist; none: resize only",
    };
    public Option<bool> Recon { get; } = new("--recon") { Description = "Also write recon.png: each input as the network saw it beside " +
        "its reconstruction" };
    public Argument<string[]> Paths { get; } = new("PATH")
    {
        Description = "Picture files, or folders searched recursively for PNG, JPEG, BMP, GIF, TIFF and WebP",
            Arity = ArgumentArity.OneOrMore,
    };
    public Option<long?> MaxMemory { get; } = new("--max_memory")
    {
        Description = "The memory a step may take, e.g. 8G or 512M; a network that needs more is refused before it is built " +
            "[default: what the machine has available]",
        CustomParser = ParseSize,
    };
    public Option<bool> Resume { get; } = new("--resume")
    {
        Description = "Continue from the last checkpoint in save_dir: weights, optimiser state, epoch, lr schedule and the run's settings",
    };
    public Option<bool> Overwrite { get; } = new("--overwrite") { Description = "Start a new run even where save_dir holds an unfinished " +
        "one, removing its files" };

    public CapsNetOptions()
    {
        Check(Epochs, TrainingConfig.EpochsProblem);
        Check(BatchSize, TrainingConfig.BatchSizeProblem);
        Check(Lr, TrainingConfig.LrProblem);
        Check(LrDecay, TrainingConfig.LrDecayProblem);
        Check(LamRecon, TrainingConfig.LamReconProblem);
        Check(ShiftFraction, TrainingConfig.ShiftFractionProblem);
        Check(Routings, CapsNetConfig.RoutingsProblem);
        Check(Threads, TorchRuntime.ThreadsProblem);
        Check(TrainSamples, DataConfig.SamplesProblem);
        Check(TestSamples, DataConfig.SamplesProblem);
        Check(ValSamples, DataConfig.SamplesProblem);
        Check(Channels, DataConfig.ChannelsProblem);
        Check(PairShift, DataConfig.PairShiftProblem);
        Check(PairsPerEpoch, DataConfig.PairsPerEpochProblem);
        Check(ImageSize, side => side is null ? null : CapsNetConfig.Mnist.SideProblem(side.Value));
        Named(SaveDir, path => new DirectoryInfo(path), "a folder");
        Named(Weights, path => new FileInfo(path), "a file");
        Words(Device, DeviceChoice.Auto);
        Words(Precision, Training.Precision);
        Words(Preprocess, Imaging.Preprocess.Auto);
    }

    /// <summary>A size in bytes, with K, M, G or T (powers of 1024) after the number, as people write it.</summary>
    private static long? ParseSize(ArgumentResult result)
    {
        string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value.Trim();
        int unit = "KMGT".IndexOf(char.ToUpperInvariant(text.LastOrDefault())) + 1;
        string number = unit > 0 ? text[..^1] : text;
        if (double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture,
            out double value)
            && double.IsFinite(value) && value > 0 && value * Math.Pow(1024, unit) < long.MaxValue)
            return (long)(value * Math.Pow(1024, unit));
        result.AddError($"--max_memory takes a size such as 8G or 512M, got '{text}'.");
        return null;
    }

    /// <summary>A required file option of a single command, such as export's --onnx.</summary>
    public static Option<FileInfo> File(string name, string description)
    {
        var option = new Option<FileInfo>(name) { Description = description, Required = true };
        Named(option, path => new FileInfo(path), "a file");
        return option;
    }

    /// <summary>A path option that refuses an empty path in a line of its own, as the parser cannot make one.</summary>
    private static void Named<T>(Option<T> option, Func<string, T> make, string what)
        where T : FileSystemInfo?
    {
        Func<ArgumentResult, T>? defaultValue = option.DefaultValueFactory;
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
                return defaultValue is null ? default! : defaultValue(result);
            string path = result.Tokens[0].Value;
            if (path.Length > 0)
                return make(path);
            result.AddError($"{option.Name} must name {what}, not an empty path.");
            return default!;
        };
    }

    /// <summary>An enum option spelled in lower case on the command line, as the reference spells its flags.</summary>
    private static void Words<T>(Option<T> option, T defaultValue)
        where T : struct, Enum
    {
        option.DefaultValueFactory = _ => defaultValue;
        option.AcceptOnlyFromAmong(Enum.GetNames<T>().Select(name => name.ToLowerInvariant()).ToArray());
        option.CustomParser = result => result.Tokens.Count == 0 ? defaultValue : Enum.Parse<T>(result.Tokens[0].Value, ignoreCase: true);
    }

    /// <summary>Refuses a value that <paramref name="problem"/> finds fault with: "--lr must be greater than 0, got -1."</summary>
    private static void Check<T>(Option<T> option, Func<T, string?> problem)
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
            if (problem(value) is string rule)
                result.AddError($"{option.Name} {rule}, got {Bounds.Text(value)}.");
        });
    }
}
