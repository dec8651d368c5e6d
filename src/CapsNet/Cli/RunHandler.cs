using System.Globalization;
using CapsNet.Data;
using CapsNet.Interop;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;
using Spectre.Console;
using static TorchSharp.torch;

namespace CapsNet.Cli;

/// <summary>
/// Training and testing. Everything that can be wrong with the input (flags, data, device, weights,
/// save_dir) is checked before the first output file is written.
/// </summary>
public static class RunHandler
{
    /// <param name="runDefining">The settings a training run's checkpoint stores, by flag name.</param>
    public static int Execute(RunSettings settings, string[] args, IReadOnlyDictionary<string, string> runDefining, IAnsiConsole console,
        TextWriter error)
    {
        // One training run per folder. Locked at once when the folder exists, so that a second run stops before
        // loading anything and writes nothing; a new folder is locked when created, after the checks.
        RunLock? runLock = null;
        try
        {
            return Failures.Report(error, () =>
            {
                if (!settings.Testing && Directory.Exists(settings.SaveDir))
                    runLock = Lock(settings.SaveDir);
                console.Line(SettingsLine.Format(settings));
                TorchRuntime.SetThreads(settings.Threads);
                Device device = TorchRuntime.SelectDevice(settings.Device);
                return settings.Testing
                    ? Test(settings, device, console)
                    : Train(settings, args, new RunDefinition(settings.Epochs, runDefining), device, console, error, () => runLock ??= Lock(settings.SaveDir));
            });
        }
        finally
        {
            runLock?.Dispose();
        }
    }

    private static RunLock Lock(string saveDir) =>
        RunLock.TryAcquire(saveDir) ?? throw new UserInputException($"Another training run is writing to '{saveDir}'; wait for it to end, or choose another --save_dir.");

    private static int Train(RunSettings settings, string[] args, RunDefinition run, Device device, IAnsiConsole console, TextWriter error,
        Func<RunLock> lockFolder)
    {
        string dataset = settings.Dataset ?? DataSets.Default;
        using DataSet data = DataLoading.Load(new DataRequest(dataset, WithTrain: true, settings.TrainSamples, settings.TestSamples,
            settings.Channels, settings.ImageSize));
        using HeldOut split = HeldOut.Split(data.Train!, data.Test, settings.ValSamples);
        if (settings.BatchSize > split.Train.Count)
            throw new UserInputException($"--batch_size {settings.BatchSize} is larger than the {split.Train.Count} training images" +
                (settings.ValSamples is null ? "." : $" left after --val_samples {settings.ValSamples}."));

        CapsNetConfig config = ModelFactory.ConfigFor(data, settings.Routings);
        // -w is where a new run starts; a resumed one continues from its checkpoint's weights (TrainingStart says so).
        // A checkpoint that cannot be read fails here, before -w is read.
        Checkpoint? checkpoint = settings.Resume ? Checkpoint.Read(settings.SaveDir) : null;
        string? start = checkpoint is null ? settings.Weights : null;
        if (start is not null)
            ModelFactory.EnsureSameShape(GivenWeights.ReadConfig(start, settings.Routings), config, start, dataset);
        using CapsuleNetwork model = ModelFactory.Build(config, start, settings.Seed, settings.Precision, device, console);
        OutputFolder.Prepare(settings.SaveDir);
        lockFolder();

        using var interruption = new Interruption(error);
        string validation = settings.ValSamples is null ? "validation (the test set)" : "held-out validation";
        console.Line($"Data: {split.Train.Count} training and {split.Validation.Count} {validation} images from '{data.Name}' ({data.Describe()}).");
        var trainer = new Trainer(model, settings, device, console);
        var artifacts = new TrainingArtifacts(settings.SaveDir, settings.Debug, run, console);
        int firstEpoch = TrainingStart.Prepare(settings, checkpoint, artifacts, model, trainer.Optimizer, console);

        if (!trainer.Train(new BatchLoader(split.Train), new BatchLoader(split.Validation), firstEpoch, artifacts, interruption.Token))
        {
            error.WriteLine($"Interrupted. Finished epochs are saved in '{settings.SaveDir}'. Resume with:");
            error.WriteLine($"  {ResumeCommand.Format(args)}");
            return Interruption.ExitCode;
        }
        console.Line($"Trained model saved to '{artifacts.SaveTrainedModel(model)}'");
        return 0;
    }

    private static int Test(RunSettings settings, Device device, IAnsiConsole console)
    {
        string? weights = settings.Weights;
        string trained = Path.Combine(settings.SaveDir, TrainingArtifacts.TrainedModelFile);
        if (weights is null && File.Exists(trained))
        {
            weights = trained;
            console.Line($"No weights given (-w); using '{trained}'.");
        }
        CapsNetConfig? stored = weights is null ? null : GivenWeights.ReadConfig(weights, settings.Routings);
        string dataset = settings.Dataset ?? (string.IsNullOrEmpty(stored?.Dataset) ? DataSets.Default : stored.Dataset);
        using DataSet data = DataLoading.Load(new DataRequest(dataset, WithTrain: false, TestSamples: settings.TestSamples,
            Channels: stored?.InputChannels, ImageSize: stored?.InputSide, ClassNames: stored?.Names));
        CapsNetConfig config = stored ?? ModelFactory.ConfigFor(data, settings.Routings);
        if (stored is not null)
            ModelFactory.EnsureSameShape(stored, ModelFactory.ConfigFor(data, settings.Routings), weights!, dataset);
        int digit = ClassChoice.Resolve(settings.Digit, config.Names);
        Tester.PickManipulated(data.Test, digit, settings.Seed);  // fails before any file is written

        using CapsuleNetwork model = ModelFactory.Build(config, weights, settings.Seed, settings.Precision, device, console);
        if (weights is null)
            console.Line("No weights are provided. Will test using random initialized weights.");
        OutputFolder.Prepare(settings.SaveDir);

        var tester = new Tester(model, device);
        console.Line($"Test acc: {tester.Accuracy(new BatchLoader(data.Test), settings.BatchSize).ToString("F4", CultureInfo.InvariantCulture)}");
        string reconstructions = Path.Combine(settings.SaveDir, "real_and_recon.png");
        tester.SaveRealAndReconstructed(data.Test, reconstructions);
        console.Line($"Reconstructed images are saved to '{reconstructions}'");
        string manipulation = Path.Combine(settings.SaveDir, $"manipulate-{digit}.png");
        tester.SaveManipulation(data.Test, digit, settings.Seed, manipulation);
        console.Line($"Manipulated result saved to '{manipulation}'");
        return 0;
    }
}
