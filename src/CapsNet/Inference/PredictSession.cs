using CapsNet.Imaging;
using CapsNet.Interop;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;
using SixLabors.ImageSharp;
using Spectre.Console;
using static TorchSharp.torch;

namespace CapsNet.Inference;

/// <summary>
/// Classifies a user's pictures: a table on the console, predictions.csv (and recon.png) in save_dir, which it locks
/// as a training run does. A file that cannot be read is reported and skipped.
/// </summary>
internal sealed class PredictSession(IAnsiConsole console, TextWriter error)
{
    /// <summary>Lists longer than this show progress while they are decoded and classified.</summary>
    private const int QuietUpTo = 200;

    /// <summary>Classifies the pictures; false when any file was skipped.</summary>
    public bool Run(PredictJob job)
    {
        string weights = job.Weights ?? Path.Combine(job.SaveDir, RunFiles.TrainedModel);
        if (!File.Exists(weights))
            throw new NoModelException(weights);
        using LockedFolder folder = LockedFolder.Open(job.SaveDir);
        TorchRuntime.SetThreads(job.Threads);
        Device device = TorchRuntime.SelectDevice(job.Device);
        using GivenWeights given = GivenWeights.Open(weights, job.Routings);
        CapsNetConfig config = given.Config;
        var (files, problems, warnings) = ImageFiles.Find(job.Paths);
        foreach (string warning in warnings)
            error.WriteLine($"warning: {warning}");
        if (files.Count == 0)
            throw new UserInputException($"No pictures to predict: {string.Join("; ", problems.Select(p => $"'{p.Path}' {p.Problem}"))}.");

        ChosenPrecision precision = ChosenPrecision.Choose(job.Precision, device, Processor.NativeBf16);
        MemoryPlan.EnsureFits(config, job.BatchSize, training: false, precision.Precision, job.MaxMemory);
        using CapsuleNetwork model = CapsuleNetwork.Create(config, seed: 0, precision.Precision, device);
        console.Line(model.Describe(device, precision));
        given.LoadInto(model);
        console.Line($"Loaded weights from '{given.Source}'.");
        folder.Create();
        var progress = new ProgressReporter(console);
        bool showProgress = files.Count > QuietUpTo;

        float[]?[] inputs = Prepare(files, config, job.Preprocess, problems, progress, showProgress);
        int[] good = Enumerable.Range(0, files.Count).Where(i => inputs[i] is not null).ToArray();
        var predictor = new Predictor(model, device);
        (float[][] lengths, float[][]? reconstructions) = (Array.Empty<float[]>(), null);
        void Classify(Action<int>? report) =>
            (lengths, reconstructions) = predictor.Run(good.Select(i => inputs[i]!).ToArray(), job.BatchSize, job.Recon, report);
        if (showProgress)
            progress.Run("Classifying", good.Length, report => Classify(done => report(done, "")));
        else
            Classify(null);

        string[] names = [.. config.Names];
        var rows = good.Select((file, k) => new Prediction(files[file], lengths[k])).ToArray();
        if (rows.Length > 0)  // an earlier predictions.csv stays when nothing could be classified
        {
            console.Line(PredictionTable.Format(rows, names, config.LabelsPerImage));
            string csv = Path.Combine(job.SaveDir, RunFiles.Predictions);
            AtomicFile.WriteAllText(csv, PredictionTable.Csv(rows, names, config.LabelsPerImage));
            console.Line($"Predictions for {rows.Length} files saved to '{csv}'");
        }
        if (reconstructions is not null && rows.Length > 0)
        {
            string recon = Path.Combine(job.SaveDir, RunFiles.Reconstructions);
            SaveReconstructions(good.Select(i => inputs[i]!).ToArray(), reconstructions, config, recon);
            console.Line($"Inputs beside their reconstructions saved to '{recon}'");
        }

        foreach (var (path, problem) in problems)
            error.WriteLine($"error: '{path}': {problem}; skipped.");
        return problems.Count == 0;
    }

    /// <summary>
    /// The pictures decoded and prepared in parallel within a memory budget (a picture's decoded size bounds how many
    /// are in flight), so that neither their number nor their size raises the peak; failures added to the problems.
    /// </summary>
    private static float[]?[] Prepare(List<string> files, CapsNetConfig config, Preprocess preprocess,
        List<(string Path, string Problem)> problems, ProgressReporter progress, bool showProgress)
    {
        var decoder = new PictureBatchDecoder(Math.Min(PictureBatchDecoder.DefaultBudgetBytes,
            (MemoryPlan.AvailableBytes() ?? long.MaxValue) / 4));
        PictureBatch<float[]> batch = null!;
        void Decode(Action<int, string>? report) => batch = decoder.Decode(files,
            image => ModelInput.From(image, config.InputChannels, config.InputSide, preprocess),
            report is null ? null : done => report(done, ""));
        if (showProgress)
            progress.Run("Reading", files.Count, Decode);
        else
            Decode(null);
        problems.AddRange(batch.Problems.Select(f => (files[f.Index], f.Problem)));
        return batch.Results;
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
