using System.CommandLine;
using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Training;

namespace CapsNet.Cli;

/// <summary>
/// The train command's options in order, each bound to the field of the <see cref="TrainingJob"/> it sets: what the
/// job is read from, the settings line is printed from, and a resumed run is compared with. The one list of them.
/// </summary>
internal sealed class TrainSettings
{
    public TrainSettings(CapsNetOptions o)
    {
        EpochsSetting = Run(o.Epochs, t => t.Epochs, (t, v) => t with { Epochs = v });
        All =
        [
            EpochsSetting,
            Run(o.BatchSize, t => t.BatchSize, (t, v) => t with { BatchSize = v }),
            Run(o.Lr, t => t.Lr, (t, v) => t with { Lr = v }),
            Run(o.LrDecay, t => t.LrDecay, (t, v) => t with { LrDecay = v }),
            Run(o.LamRecon, t => t.LamRecon, (t, v) => t with { LamRecon = v }),
            Bind(o.Routings, true, j => j.Run.Model.Routings, (j,
                v) => j with { Run = j.Run with { Model = j.Run.Model with { Routings = v } } }),
            Run(o.ShiftFraction, t => t.ShiftFraction, (t, v) => t with { ShiftFraction = v }),
            Bind(o.Debug, false, j => j.Debug, (j, v) => j with { Debug = v }),
            Bind(o.SaveDir, false, j => new DirectoryInfo(j.SaveDir), (j, v) => j with { SaveDir = v.ToString() }),
            Bind(o.Weights, false, j => j.Weights is null ? null : new FileInfo(j.Weights), (j, v) => j with { Weights = v?.ToString() }),
            Run(o.Seed, t => t.Seed, (t, v) => t with { Seed = v }),
            Bind(o.Device, false, j => j.Device, (j, v) => j with { Device = v }),
            Run(o.Precision, t => t.Precision, (t, v) => t with { Precision = v }),
            Bind(o.Threads, false, j => j.Threads, (j, v) => j with { Threads = v }),
            Data(o.Dataset, d => d.Dataset, (d, v) => d with { Dataset = v ?? DataConfig.DefaultDataset }),
            Data(o.Channels, d => d.Channels, (d, v) => d with { Channels = v }),
            Data(o.ImageSize, d => d.ImageSize, (d, v) => d with { ImageSize = v }),
            Data(o.TrainSamples, d => d.TrainSamples, (d, v) => d with { TrainSamples = v }),
            Data(o.TestSamples, d => d.TestSamples, (d, v) => d with { TestSamples = v }),
            Data(o.ValSamples, d => d.ValSamples, (d, v) => d with { ValSamples = v }),
            Data(o.PairShift, d => d.PairShift, (d, v) => d with { PairShift = v }),
            Data(o.PairsPerEpoch, d => d.PairsPerEpoch, (d, v) => d with { PairsPerEpoch = v }),
            Bind(o.MaxMemory, false, j => j.MaxMemory, (j, v) => j with { MaxMemory = v }),
            Bind(o.Resume, false, j => j.Resume, (j, v) => j with { Resume = v }),
            Bind(o.Overwrite, false, j => j.Overwrite, (j, v) => j with { Overwrite = v }),
        ];
    }

    /// <summary>--epochs, which a resumed run may raise.</summary>
    public TrainSetting EpochsSetting { get; }

    public IReadOnlyList<TrainSetting> All { get; }

    /// <summary>A job with every option's default: the reference's run, to be read from the command line.</summary>
    public static TrainingJob Defaults => new(new RunConfig(CapsNetConfig.Mnist, new TrainingConfig(), new DataConfig()), "");

    /// <summary>The job the command line gives.</summary>
    public TrainingJob Read(ParseResult parsed) => All.Aggregate(Defaults, (job, setting) => setting.Read(parsed, job));

    private static TrainSetting<T> Bind<T>(Option<T> option, bool runDefining, Func<TrainingJob, T> get, Func<TrainingJob, T,
        TrainingJob> set) =>
        new(option, runDefining, get, set);

    private static TrainSetting<T> Run<T>(Option<T> option, Func<TrainingConfig, T> get, Func<TrainingConfig, T, TrainingConfig> set) =>
        new(option, runDefining: true, j => get(j.Run.Training), (j, v) => j with { Run = j.Run with { Training = set(j.Run.Training,
            v) } });

    private static TrainSetting<T> Data<T>(Option<T> option, Func<DataConfig, T> get, Func<DataConfig, T, DataConfig> set) =>
        new(option, runDefining: true, j => get(j.Run.Data), (j, v) => j with { Run = j.Run with { Data = set(j.Run.Data, v) } });
}
