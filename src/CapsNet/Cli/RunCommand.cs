using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Cli;

/// <summary>The handler behind the flags: set up, then train or test.</summary>
public static class RunCommand
{
    public const int Failure = 1;

    public static int Execute(RunSettings settings, string[] args)
    {
        try
        {
            return settings.Testing ? Test(settings) : Train(settings, args);
        }
        catch (UserInputException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Failure;
        }
        catch (TrainingDivergedException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Failure;
        }
    }

    private static int Train(RunSettings settings, string[] args)
    {
        using var interruption = new Interruption();
        var (model, device) = Prepare(settings);
        using (model)
        {
            using var train = MnistData.Load(settings.DataDir, MnistSplit.Train, settings.TrainSamples);
            using var test = MnistData.Load(settings.DataDir, MnistSplit.Test, settings.TestSamples);
            Console.WriteLine($"Data: {train.Count} training and {test.Count} validation images from '{settings.DataDir}'.");
            if (settings.BatchSize > train.Count)
                throw new UserInputException($"--batch_size {settings.BatchSize} is larger than the {train.Count} training images.");

            var trainer = new Trainer(model, settings, device);
            var artifacts = new TrainingArtifacts(settings.SaveDir, settings.Debug);
            int firstEpoch = 0;
            if (settings.Resume)
            {
                Checkpoint checkpoint = Checkpoint.Load(settings.SaveDir, model, trainer.Optimizer);
                firstEpoch = checkpoint.NextEpoch;
                artifacts.Resume(firstEpoch, checkpoint.BestValAccuracy);
                Console.WriteLine($"Resuming at epoch {firstEpoch + 1}/{settings.Epochs} from '{Path.Combine(settings.SaveDir, Checkpoint.FileName)}'.");
            }

            if (!trainer.Train(new BatchLoader(train), new BatchLoader(test), firstEpoch, artifacts, interruption.Token))
            {
                string again = string.Join(" ", args.Where(a => a != "--resume").Append("--resume"));
                Console.Error.WriteLine($"Interrupted. Finished epochs are saved in '{settings.SaveDir}'. Resume with:");
                Console.Error.WriteLine($"  dotnet run --project src/CapsNet -c Release -- {again}");
                return Interruption.ExitCode;
            }
            Console.WriteLine($"Trained model saved to '{artifacts.SaveTrainedModel(model)}'");
            return 0;
        }
    }

    private static int Test(RunSettings settings)
    {
        var (model, device) = Prepare(settings);
        using (model)
        {
            using var test = MnistData.Load(settings.DataDir, MnistSplit.Test, settings.TestSamples);
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
    }

    /// <summary>Prints the settings, builds the model on its device, loads weights and readies save_dir.</summary>
    private static (CapsuleNetwork Model, Device Device) Prepare(RunSettings settings)
    {
        Console.WriteLine(settings);
        OutputFolder.Prepare(settings.SaveDir);
        TorchRuntime.SetThreads(settings.Threads);
        Device device = TorchRuntime.SelectDevice(settings.Device);
        manual_seed(settings.Seed);
        var model = new CapsuleNetwork(CapsNetConfig.Mnist with { Routings = settings.Routings }, new Generator((ulong)settings.Seed));
        model.to(device);
        Console.WriteLine(ModelSummary.Format(model));
        Console.WriteLine($"Device: {device.type.ToString().ToLowerInvariant()}, {get_num_threads()} threads.");

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
        return (model, device);
    }
}
