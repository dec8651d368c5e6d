using System.Globalization;
using CapsNet.Data;
using CapsNet.Interop;
using CapsNet.Model;
using CapsNet.Native;
using Spectre.Console;
using static TorchSharp.torch;

namespace CapsNet.Training;

/// <summary>
/// Test mode: the accuracy on the test images, real_and_recon.png and manipulate-{digit}.png in save_dir, which it
/// locks as a training run does. Everything is checked before the first file is written.
/// </summary>
internal sealed class TestSession(IAnsiConsole console)
{
    public void Run(TestJob job)
    {
        using LockedFolder folder = LockedFolder.Open(job.SaveDir);
        TorchRuntime.SetThreads(job.Threads);
        Device device = TorchRuntime.SelectDevice(job.Device);
        string? weights = job.Weights;
        string trained = Path.Combine(job.SaveDir, RunFiles.TrainedModel);
        if (weights is null && File.Exists(trained))
        {
            weights = trained;
            console.Line($"No weights given (-w); using '{trained}'.");
        }
        using GivenWeights? given = weights is null ? null : GivenWeights.Open(weights, job.Routings);
        CapsNetConfig? stored = given?.Config;
        string dataset = job.Dataset ?? (string.IsNullOrEmpty(stored?.Dataset) ? DataConfig.DefaultDataset : stored.Dataset);
        using DataSet data = DataSets.Load(new DataRequest(dataset, WithTrain: false, TestSamples: job.TestSamples,
            Channels: stored?.InputChannels, ImageSize: stored?.InputSide, ClassNames: stored?.Names,
                PairShift: job.PairShift ?? MultiMnist.PaperShift));
        foreach (string warning in data.Warnings)
            console.Line($"warning: {warning}");
        CapsNetConfig config = ModelForData.Fit(stored ?? CapsNetConfig.Mnist with { Routings = job.Routings }, data);
        if (given is not null)
        {
            ModelForData.EnsureFits(given, config, dataset);
            config = given.Config;
        }
        int digit = ClassChoice.Resolve(job.Digit, config.Names);
        using ImageSet? pairs = data.Pairs is null ? null : data.EvaluationPairs(data.Test);
        ImageSet test = pairs ?? data.Test;
        Tester.PickManipulated(test, digit, job.Seed);  // fails before any file is written

        ChosenPrecision precision = ChosenPrecision.Choose(job.Precision, device, Processor.NativeBf16);
        MemoryPlan.EnsureFits(config, job.BatchSize, training: false, precision.Precision, job.MaxMemory);
        using CapsuleNetwork model = CapsuleNetwork.Create(config, job.Seed, precision.Precision, device);
        console.Line(ModelSummary.Format(model));
        console.Line(model.Describe(device, precision));
        if (given is null)
        {
            console.Line("No weights are provided. Will test using random initialized weights.");
        }
        else
        {
            given.LoadInto(model);
            console.Line($"Loaded weights from '{given.Source}'.");
        }
        folder.Create();

        var tester = new Tester(model, device);
        console.Line($"Test acc: {tester.Accuracy(new BatchLoader(test), job.BatchSize).ToString("F4", CultureInfo.InvariantCulture)}");
        string reconstructions = Path.Combine(job.SaveDir, RunFiles.RealAndReconstructed);
        tester.SaveRealAndReconstructed(test, reconstructions);
        console.Line($"Reconstructed images are saved to '{reconstructions}'");
        string manipulation = Path.Combine(job.SaveDir, RunFiles.Manipulation(digit));
        tester.SaveManipulation(test, digit, job.Seed, manipulation);
        console.Line($"Manipulated result saved to '{manipulation}'");
    }
}
