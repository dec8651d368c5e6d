using CapsNet.Cli;
using CapsNet.Native;
using CapsNet.Training;

namespace CapsNet.Tests.Cli;

public sealed class CapsNetCommandTests
{
    private static RunSettings Parse(params string[] args)
    {
        var command = new CapsNetCommand(TestConsole.Create(new StringWriter()), new StringWriter());
        var parsed = command.Parse(args);
        Assert.Empty(parsed.Errors);
        bool? testing = parsed.CommandResult.Command.Name switch { "train" => false, "test" => true, _ => null };
        return command.Flags.Read(parsed, testing);
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
        RunSettings s = Parse();

        Assert.Equal(50, s.Epochs);
        Assert.Equal(100, s.BatchSize);
        Assert.Equal(0.001, s.Lr);
        Assert.Equal(0.9, s.LrDecay);
        Assert.Equal(0.392, s.LamRecon);
        Assert.Equal(3, s.Routings);
        Assert.Equal(0.1, s.ShiftFraction);
        Assert.False(s.Debug);
        Assert.Equal("./result", s.SaveDir);
        Assert.False(s.Testing);
        Assert.Null(s.Digit);
        Assert.Null(s.Dataset);
        Assert.Null(s.ValSamples);
        Assert.Null(s.Weights);
        Assert.Equal(DeviceChoice.Auto, s.Device);
        Assert.Null(s.TrainSamples);
        Assert.False(s.Resume);
    }

    [Fact]
    public void ShortFormsAndOurFlagsAreRead()
    {
        string weights = Path.GetTempFileName();
        try
        {
            RunSettings s = Parse("-r", "1", "-t", "-w", weights, "--digit", "0", "--lam_recon", "0", "--seed", "9",
                "--device", "cpu", "--threads", "1", "--data_dir", "/x", "--train_samples", "300", "--test_samples", "200", "--resume", "--debug");

            Assert.Equal(1, s.Routings);
            Assert.True(s.Testing);
            Assert.Equal(weights, s.Weights);
            Assert.Equal("0", s.Digit);
            Assert.Equal(0, s.LamRecon);
            Assert.Equal(9, s.Seed);
            Assert.Equal(DeviceChoice.Cpu, s.Device);
            Assert.Equal(1, s.Threads);
            Assert.Equal("/x", s.Dataset);
            Assert.Equal(300, s.TrainSamples);
            Assert.Equal(200, s.TestSamples);
            Assert.True(s.Resume);
            Assert.True(s.Debug);
        }
        finally
        {
            File.Delete(weights);
        }
    }

    [Theory]
    [InlineData("--epochs 0", "--epochs must be at least 1, got 0.")]
    [InlineData("--batch_size -5", "--batch_size must be at least 1, got -5.")]
    [InlineData("-r 0", "--routings must be at least 1, got 0.")]
    [InlineData("--lr 0", "--lr must be greater than 0, got 0.")]
    [InlineData("--lam_recon -0.1", "--lam_recon must be 0 or more, got -0.1.")]
    [InlineData("--shift_fraction 0.6", "--shift_fraction must be between 0 and 0.5, got 0.6.")]
    [InlineData("--shift_fraction -0.1", "--shift_fraction must be between 0 and 0.5, got -0.1.")]
    [InlineData("--channels 2", "--channels must be 1 or 3, got 2.")]
    [InlineData("--image_size 16", "--image_size must be at least 17, the smallest side CapsNet's two 9x9 convolutions take, got 16.")]
    [InlineData("--val_samples 0", "--val_samples must be at least 1, got 0.")]
    [InlineData("train --epochs 0", "--epochs must be at least 1, got 0.")]
    [InlineData("test --batch_size 0", "--batch_size must be at least 1, got 0.")]
    [InlineData("--train_samples 0", "--train_samples must be at least 1, got 0.")]
    [InlineData("-w /nonexistent/model.pt", "Weights file '/nonexistent/model.pt' not found (--weights).")]
    public void InvalidValuesGiveTheirMessageAndExitCode2(string args, string message)
    {
        var (exitCode, error) = Reject(args.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: {message}", error.Split(Environment.NewLine)[0]);
    }

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
