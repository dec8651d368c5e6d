using System.CommandLine;
using CapsNet.Cli;
using CapsNet.Data;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;

namespace CapsNet.Tests.Cli;

public sealed class CapsNetCommandTests
{
    private static (TrainingJob Job, ParseResult Parsed, CapsNetOptions Flags) Parse(params string[] args)
    {
        var command = new CapsNetCommand(new CapsNetContext(TestConsole.Create(new StringWriter()), new StringWriter(), FaultPoints.None));
        ParseResult parsed = command.Parse(args);
        Assert.Empty(parsed.Errors);
        return (new TrainSettings(command.Flags).Read(parsed), parsed, command.Flags);
    }

    private static (int ExitCode, string Error) Reject(params string[] args)
    {
        var error = new StringWriter();
        int exitCode = CapsNetApp.Run(args, TestConsole.Create(new StringWriter()), error);
        return (exitCode, error.ToString());
    }

    [Fact]
    public void DefaultsAreTheReferences()
    {
        var (job, parsed, flags) = Parse();
        TrainingConfig t = job.Run.Training;

        Assert.Equal(50, t.Epochs);
        Assert.Equal(100, t.BatchSize);
        Assert.Equal(0.001, t.Lr);
        Assert.Equal(0.9, t.LrDecay);
        Assert.Equal(0.392, t.LamRecon);
        Assert.Equal(3, job.Run.Model.Routings);
        Assert.Equal(0.1, t.ShiftFraction);
        Assert.Equal(42, t.Seed);
        Assert.Equal(PrecisionChoice.Auto, t.Precision);  // not the reference's float32: bf16 where it is native (docs/results.md)
        Assert.False(job.Debug);
        Assert.Equal("./result", job.SaveDir);
        Assert.False(parsed.GetValue(flags.Testing));
        Assert.Null(parsed.GetValue(flags.Digit));
        Assert.Equal(new DataConfig { Dataset = "mnist" }, job.Run.Data);
        Assert.Null(job.Weights);
        Assert.Equal(DeviceChoice.Auto, job.Device);
        Assert.Equal(0, job.Threads);
        Assert.False(job.Resume);
        Assert.False(job.Overwrite);
        Assert.Equal(CapsNetConfig.Mnist, job.Run.Model);
    }

    [Fact]
    public void ShortFormsAndOurFlagsAreRead()
    {
        var (job, parsed, flags) = Parse("-r", "1", "-t", "-w", "/some/weights.pt", "--digit", "0", "--lam_recon", "0", "--seed", "9",
            "--device", "cpu", "--threads", "1", "--data_dir", "/x", "--train_samples", "300", "--test_samples", "200", "--resume",
                "--debug",
            "--precision", "bf16");

        Assert.Equal(1, job.Run.Model.Routings);
        Assert.True(parsed.GetValue(flags.Testing));
        Assert.Equal("/some/weights.pt", job.Weights);  // whether it exists is the command's to find out, not the parser's
        Assert.Equal("0", parsed.GetValue(flags.Digit));
        Assert.Equal(0, job.Run.Training.LamRecon);
        Assert.Equal(9, job.Run.Training.Seed);
        Assert.Equal(PrecisionChoice.Bf16, job.Run.Training.Precision);
        Assert.Equal(DeviceChoice.Cpu, job.Device);
        Assert.Equal(1, job.Threads);
        Assert.Equal("/x", job.Run.Data.Dataset);
        Assert.Equal(300, job.Run.Data.TrainSamples);
        Assert.Equal(200, job.Run.Data.TestSamples);
        Assert.True(job.Resume);
        Assert.True(job.Debug);
    }

    [Fact]
    public void TheDataSetIsNamedOnce()
    {
        var (exitCode, error) = Reject("--dataset", "mnist", "--data_dir", "/x");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: ", error);
        Assert.Contains("--dataset", error.Split(Environment.NewLine)[0]);
    }

    [Theory]
    [InlineData("--epochs 0", "--epochs must be at least 1, got 0.")]
    [InlineData("--batch_size -5", "--batch_size must be at least 1, got -5.")]
    [InlineData("-r 0", "--routings must be from 1 to 20, got 0.")]
    [InlineData("-r 1000", "--routings must be from 1 to 20, got 1000.")]
    [InlineData("--lr 0", "--lr must be a number greater than 0, got 0.")]
    [InlineData("--lr Infinity", "--lr must be a number greater than 0, got Infinity.")]
    [InlineData("--lr NaN", "--lr must be a number greater than 0, got NaN.")]
    [InlineData("--lam_recon NaN", "--lam_recon must be 0 or more, got NaN.")]
    [InlineData("--image_size 100000", "--image_size must be at most 4096, got 100000.")]
    [InlineData("--lam_recon -0.1", "--lam_recon must be 0 or more, got -0.1.")]
    [InlineData("--shift_fraction 0.6", "--shift_fraction must be between 0 and 0.5, got 0.6.")]
    [InlineData("--shift_fraction -0.1", "--shift_fraction must be between 0 and 0.5, got -0.1.")]
    [InlineData("--channels 2", "--channels must be 1 or 3, got 2.")]
    [InlineData("--image_size 16", "--image_size must be at least 17, the smallest side CapsNet's two 9x9 convolutions take, got 16.")]
    [InlineData("--val_samples 0", "--val_samples must be at least 1, got 0.")]
    [InlineData("train --epochs 0", "--epochs must be at least 1, got 0.")]
    [InlineData("test --batch_size 0", "--batch_size must be at least 1, got 0.")]
    [InlineData("--train_samples 0", "--train_samples must be at least 1, got 0.")]
    public void InvalidValuesGiveTheirMessageAndExitCode2(string args, string message)
    {
        var (exitCode, error) = Reject(args.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: {message}", error.Split(Environment.NewLine)[0]);
    }

    [Fact]
    public void EmptyPathsAndMoreThreadsThanCoresAreUsageErrors()
    {
        Assert.Equal((2, "error: --save_dir must name a folder, not an empty path."), FirstLine(Reject("--save_dir", "")));
        Assert.Equal((2, "error: --weights must name a file, not an empty path."), FirstLine(Reject("test", "-w", "")));
        Assert.Equal((2, "error: --onnx must name a file, not an empty path."), FirstLine(Reject("export", "-w", "m.pt", "--onnx", "")));
        Assert.Equal((2, $"error: --threads must be from 0 to {Environment.ProcessorCount}, the cores this machine has, got 1000."),
            FirstLine(Reject("--threads", "1000")));
    }

    private static (int, string) FirstLine((int ExitCode, string Error) result) => (result.ExitCode,
        result.Error.Split(Environment.NewLine)[0]);

    [Theory]
    [InlineData("--epochs abc", "abc")]
    [InlineData("--no_such_flag", "--no_such_flag")]
    [InlineData("--device gpu", "gpu")]
    [InlineData("test --epochs 3", "--epochs")]
    public void UnknownFlagsAndWrongTypesAreUsageErrors(string args, string named)
    {
        var (exitCode, error) = Reject(args.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: ", error);
        Assert.Contains(named, error.Split(Environment.NewLine)[0]);
    }
}
