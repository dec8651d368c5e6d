using System.Collections.Concurrent;
using CapsNet.Imaging;
using CapsNet.Inference;
using CapsNet.Interop;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Spectre.Console;
using static TorchSharp.torch;

namespace CapsNet.Cli;

/// <summary>
/// Classifies a user's pictures: a table on the console, predictions.csv (and recon.png) in --save_dir. A file
/// that cannot be read is reported and skipped; the exit code is 1 when any was.
/// </summary>
public static class PredictHandler
{
    public const string CsvFile = "predictions.csv";
    public const string ReconFile = "recon.png";

    /// <summary>The pretrained MNIST model committed with the code (README, Results).</summary>
    public const string ShippedModel = "models/capsnet-mnist-v4.pt";

    /// <summary>Lists longer than this show progress while they are decoded and classified.</summary>
    private const int QuietUpTo = 200;

    public static int Execute(PredictSettings settings, IAnsiConsole console, TextWriter error) =>
        Failures.Report(error, () =>
        {
            string weights = settings.Weights ?? Path.Combine(settings.SaveDir, TrainingArtifacts.TrainedModelFile);
            if (!File.Exists(weights))
                throw new UserInputException($"No model to predict with: there is no '{weights}'. Give -w MODEL; for digits, the repository's {ShippedModel}.");
            TorchRuntime.SetThreads(settings.Threads);
            Device device = TorchRuntime.SelectDevice(settings.Device);
            CapsNetConfig config = GivenWeights.ReadConfig(weights);
            var (files, problems) = ImageFiles.Find(settings.Paths);
            if (files.Count == 0)
                throw new UserInputException($"No pictures to predict: {string.Join("; ", problems.Select(p => $"'{p.Path}' {p.Problem}"))}.");

            using CapsuleNetwork model = ModelFactory.Build(config, weights, seed: 0, settings.Precision, device, console, summary: false);
            OutputFolder.Prepare(settings.SaveDir);
            var progress = new ProgressReporter(console);
            bool showProgress = files.Count > QuietUpTo;

            float[]?[] inputs = Prepare(files, config, settings.Preprocess, problems, progress, showProgress);
            int[] good = Enumerable.Range(0, files.Count).Where(i => inputs[i] is not null).ToArray();
            var predictor = new Predictor(model, device);
            (float[][] lengths, float[][]? reconstructions) = (Array.Empty<float[]>(), null);
            void Classify(Action<int>? report) =>
                (lengths, reconstructions) = predictor.Run(good.Select(i => inputs[i]!).ToArray(), settings.BatchSize, settings.Recon, report);
            if (showProgress)
                progress.Run("Classifying", good.Length, report => Classify(done => report(done, "")));
            else
                Classify(null);

            string[] names = [.. config.Names];
            var rows = good.Select((file, k) => new Prediction(files[file], lengths[k])).ToArray();
            console.Line(PredictionTable.Format(rows, names));
            string csv = Path.Combine(settings.SaveDir, CsvFile);
            AtomicFile.WriteAllText(csv, PredictionTable.Csv(rows, names));
            console.Line($"Predictions for {rows.Length} files saved to '{csv}'");
            if (reconstructions is not null)
            {
                string recon = Path.Combine(settings.SaveDir, ReconFile);
                SaveReconstructions(good.Select(i => inputs[i]!).ToArray(), reconstructions, config, recon);
                console.Line($"Inputs beside their reconstructions saved to '{recon}'");
            }

            foreach (var (path, problem) in problems)
                error.WriteLine($"error: '{path}': {problem}; skipped.");
            return problems.Count == 0 ? 0 : Failures.ExitCode;
        });

    private static float[]?[] Prepare(List<string> files, CapsNetConfig config, Preprocess preprocess,
        List<(string Path, string Problem)> problems, ProgressReporter progress, bool showProgress)
    {
        var inputs = new float[]?[files.Count];
        var failed = new ConcurrentBag<(int Index, string Problem)>();
        void Decode(Action<int, string>? report)
        {
            int done = 0;
            Parallel.For(0, files.Count, i =>
            {
                try
                {
                    using Image<Rgb24> image = ImageReader.Read(files[i]);
                    inputs[i] = ModelInput.From(image, config.InputChannels, config.InputSide, preprocess);
                }
                catch (UserInputException e)
                {
                    failed.Add((i, e.Message));
                }
                int finished = Interlocked.Increment(ref done);
                if (report is not null)
                    lock (inputs)
                        report(finished, "");
            });
        }
        if (showProgress)
            progress.Run("Reading", files.Count, Decode);
        else
            Decode(null);
        problems.AddRange(failed.OrderBy(f => f.Index).Select(f => (files[f.Index], f.Problem)));
        return inputs;
    }

    /// <summary>Pairs of tiles, each input as the network saw it and its reconstruction beside it, ten pairs a row.</summary>
    private static void SaveReconstructions(float[][] inputs, float[][] reconstructions, CapsNetConfig config, string path)
    {
        var tiles = new float[inputs.Length * 2 * config.PixelCount];
        for (int k = 0; k < inputs.Length; k++)
        {
            inputs[k].CopyTo(tiles, 2 * k * config.PixelCount);
            reconstructions[k].CopyTo(tiles, (2 * k + 1) * config.PixelCount);
        }
        using Tensor images = tensor(tiles, [2L * inputs.Length, config.InputChannels, config.InputSide, config.InputSide]);
        using Image grid = ImageGrid.Compose(images, columns: 2 * Math.Min(10, inputs.Length));
        ImageGrid.Save(grid, path);
    }
}
