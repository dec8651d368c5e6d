using CapsNet.Model;

namespace CapsNet.Bench;

/// <summary>The benchmark's few flags, parsed by hand to keep the program self-contained.</summary>
internal sealed record BenchSettings(int BatchSize = 100, int Steps = 30, int Threads = 0, int Warmup = 3,
    int Routings = CapsNetConfig.DefaultRoutings, Precision Precision = Precision.Fp32)
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings();
        for (int i = 0; i < args.Length; i += 2)
        {
            if (args[i] == "--precision")
            {
                if (i + 1 >= args.Length || !Enum.TryParse(args[i + 1], ignoreCase: true, out Precision precision))
                    throw new ArgumentException("'--precision' takes fp32 or bf16.");
                settings = settings with { Precision = precision };
                continue;
            }
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out int value) || value < 0)
                throw new ArgumentException($"'{args[i]}' needs a whole number of 0 or more.");
            settings = args[i] switch
            {
                "--batch_size" => settings with { BatchSize = Math.Max(1, value) },
                "--steps" => settings with { Steps = Math.Max(3, value) },
                "--threads" => settings with { Threads = value },
                "--warmup" => settings with { Warmup = value },
                "--routings" => settings with { Routings = Math.Max(1, value) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. Options: --batch_size, --steps, --threads, --warmup, " +
                    "--routings, --precision fp32|bf16."),
            };
        }
        return settings;
    }
}
