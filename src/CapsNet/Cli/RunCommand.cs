using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Cli;

/// <summary>
/// The handler behind the flags. Everything that can be wrong with the input (data, device, weights, save_dir)
/// is checked before the first output file is written.
/// </summary>
public static class RunCommand
{
    public const int Failure = 1;

    public static int Execute(RunSettings settings, string[] args, IReadOnlyDictionary<string, string> runDefining)
    {
        // One training run per folder. Locked at once when the folder exists, so that a second run stops before
        // loading anything and writes nothing; a new folder is locked when created, after the checks below.
        RunLock? runLock = null;
        try
        {
            if (!settings.Testing && Directory.Exists(settings.SaveDir))
                runLock = Lock(settings.SaveDir);
            Console.WriteLine(settings);
            TorchRuntime.SetThreads(settings.Threads);
            Device device = TorchRuntime.SelectDevice(settings.Device);
            using MnistData? train = settings.Testing ? null : MnistData.Load(settings.DataDir, MnistSplit.Train, settings.TrainSamples);
            using MnistData test = MnistData.Load(settings.DataDir, MnistSplit.Test, settings.TestSamples);
            if (train is not null && settings.BatchSize > train.Count)
                throw new UserInputException($"--batch_size {settings.BatchSize} is larger than the {train.Count} training images.");

            if (train is null)
                Tester.PickManipulated(test, settings.Digit, settings.Seed);  // fails before any file is written
            using CapsuleNetwork model = BuildModel(settings, device);
            OutputFolder.Prepare(settings.SaveDir);
            if (train is null)
                return Test(settings, model, device, test);
            runLock ??= Lock(settings.SaveDir);
            return Train(settings, args, new RunDefinition(settings.Epochs, runDefining), model, device, train, test);
        }
        catch (Exception e) when (e is UserInputException or TrainingDivergedException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Failure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not the user's doing; still one line, with enough to report it.
            Console.Error.WriteLine($"error: unexpected {e.GetType().Name}: {e.Message}");
            return Failure;
        }
        finally
        {
            runLock?.Dispose();
        }
    }

    private static RunLock Lock(string saveDir) =>
        RunLock.TryAcquire(saveDir) ?? throw new UserInputException($"Another training run is writing to '{saveDir}'; wait for it to end, or choose another --save_dir.");

    private static int Train(RunSettings settings, string[] args, RunDefinition run, CapsuleNetwork model, Device device, MnistData train, MnistData test)
    {
        using var interruption = new Interruption();
        Console.WriteLine($"Data: {train.Count} training and {test.Count} validation images from '{settings.DataDir}'.");
        var trainer = new Trainer(model, settings, device);
        var artifacts = new TrainingArtifacts(settings.SaveDir, settings.Debug, run);
        int firstEpoch = TrainingStart.Prepare(settings, artifacts, model, trainer.Optimizer);

        if (!trainer.Train(new BatchLoader(train), new BatchLoader(test), firstEpoch, artifacts, interruption.Token))
        {
            string again = string.Join(" ", args.Where(a => a != "--resume").Append("--resume").Select(Quoted));
            Console.Error.WriteLine($"Interrupted. Finished epochs are saved in '{settings.SaveDir}'. Resume with:");
            Console.Error.WriteLine($"  dotnet run --project src/CapsNet -c Release -- {again}");
            return Interruption.ExitCode;
        }
        Console.WriteLine($"Trained model saved to '{artifacts.SaveTrainedModel(model)}'");
        return 0;
    }

    private static int Test(RunSettings settings, CapsuleNetwork model, Device device, MnistData test)
    {
        var tester = new Tester(model, device);
        Console.WriteLine($"Test acc: {tester.Accuracy(new BatchLoader(test), settings.BatchSize):F4}");

        string reconstructions = Path.Combine(settings.SaveDir, "real_and_recon.png");
        tester.SaveRealAndReconstructed(test, reconstructions);
        Console.WriteLine($"Reconstructed images are saved to '{reconstructions}'");
        string manipulation = Path.Combine(settings.SaveDir, $"manipulate-{settings.Digit}.png");
        tester.SaveManipulation(test, settings.Digit, settings.Seed, manipulation);
        Console.WriteLine($"Manipulated result saved to '{manipulation}'");
        return 0;
    }

    private static string Quoted(string arg) => arg.Length > 0 && arg.All(c => char.IsLetterOrDigit(c) || "-_./=:".Contains(c)) ? arg : $"'{arg.Replace("'", "'\\''")}'";

    /// <summary>Builds the seeded model on its device, prints its summary and loads the weights to start from.</summary>
    private static CapsuleNetwork BuildModel(RunSettings settings, Device device)
    {
        manual_seed(settings.Seed);
        var model = new CapsuleNetwork(CapsNetConfig.Mnist with { Routings = settings.Routings }, new Generator((ulong)settings.Seed))
        {
            Precision = settings.Precision,
        };
        try
        {
            model.to(device);
            Console.WriteLine(ModelSummary.Format(model));
            Console.WriteLine($"Device: {device.type.ToString().ToLowerInvariant()}, {get_num_threads()} threads, {settings.Precision.ToString().ToLowerInvariant()}.");

            string? weights = settings.Weights;
            string trained = Path.Combine(settings.SaveDir, TrainingArtifacts.TrainedModelFile);
            if (weights is null && settings.Testing && File.Exists(trained))
            {
                weights = trained;
                Console.WriteLine($"No weights given (-w); using '{trained}'.");
            }
            if (weights is not null)
            {
                WeightsFile.Load(model, weights);
                Console.WriteLine($"Loaded weights from '{weights}'.");
            }
            else if (settings.Testing)
            {
                Console.WriteLine("No weights are provided. Will test using random initialized weights.");
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
