using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Training;
using static TorchSharp.torch;

/// <summary>
/// Three training steps (the trainer's own: forward, losses, backward, Adam) or three test-mode forward passes of
/// a CapsNet on random data, and the process's peak resident memory, beside the MemoryPlan estimate.
/// </summary>
internal static class Steps
{
    public static void Run(string[] args)
    {
        int side = int.Parse(args[0]), batch = int.Parse(args[1]);
        bool training = args[2] == "train";
        Precision precision = args[3] == "bf16" ? Precision.Bf16 : Precision.Fp32;
        int channels = args.Length > 4 ? int.Parse(args[4]) : 1;
        using (var warm = ones(1))
        {
        }
        double baseline = Memory.ResidentMiB();
        var config = new CapsNetConfig(InputChannels: channels, InputSide: side);
        var generator = new Generator(1);
        using var x = rand([batch, channels, side, side], generator: generator);
        using var y = randint(10, [batch], ScalarType.Int64, generator: generator);
        using var model = new CapsuleNetwork(config, generator) { Precision = precision };
        if (training)
        {
            var trainer = new Trainer(model, new TrainingConfig(), CPU, Spectre.Console.AnsiConsole.Console);
            var totals = new PassTotals();
            for (int step = 1; step <= 3; step++)
                trainer.Step(new Batch(x, y), totals, epoch: 0, step);
        }
        else
        {
            model.eval();
            using var noGrad = no_grad();
            for (int pass = 0; pass < 3; pass++)
            {
                using var scope = NewDisposeScope();
                model.forward(x, null);
            }
        }
        double peak = Memory.PeakMiB();
        MemoryEstimate estimate = MemoryPlan.Estimate(MemoryPlan.Sizes(config), batch, training, precision);
        Console.WriteLine($"step {channels}x{side}x{side} batch {batch} {(training ? "train" : "test")} {args[3]}: " +
            $"baseline {baseline:F0} MiB, peak RSS {peak:F0} MiB, above baseline {peak - baseline:F0} MiB; " +
            $"estimate {estimate.TotalBytes / 1048576.0:F0} MiB (parameters {estimate.ParameterBytes / 1048576.0:F0}, optimizer " +
                $"{estimate.OptimizerBytes / 1048576.0:F0}, " +
            $"activations {estimate.ActivationBytes / 1048576.0:F0}, runtime {estimate.RuntimeBytes / 1048576.0:F0}); estimate / peak " +
                $"{estimate.TotalBytes / 1048576.0 / peak:F2}");
    }
}

internal static class Memory
{
    public static double PeakMiB() => Read("VmHWM:");

    public static double ResidentMiB() => Read("VmRSS:");

    private static double Read(string field)
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0]) / 1024.0;
    }
}
