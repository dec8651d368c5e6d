using CapsNet.Cli;
using CapsNet.Imaging;
using CapsNet.Native;
using CapsNet.Training;

namespace CapsNet.Tests.Cli;

public sealed class FailuresTests
{
    private static (int ExitCode, string Error) Report(Func<int> work)
    {
        var error = new StringWriter();
        int exitCode = Failures.Report(error, work);
        return (exitCode, error.ToString().Replace("\r", ""));
    }

    [Fact]
    public void WorkThatSucceedsKeepsItsExitCodeAndWritesNothing()
    {
        Assert.Equal((130, ""), Report(() => 130));
    }

    [Fact]
    public void EachFailureIsOneLineAndALowerLayersFactGetsItsFlag()
    {
        Assert.Equal((1, "error: No such file.\n"), Report(() => throw new UserInputException("No such file.")));
        Assert.Equal((1,
            "error: Training diverged: the loss is NaN at epoch 2, batch 7. The files of the last finished epoch are kept. Try a smaller " +
                "--lr.\n"),
            Report(() => throw new TrainingDivergedException(1, 7, double.NaN)));
        Assert.Equal((1,
            "error: --device cuda: No CUDA device is available (this build uses the CPU libtorch unless built with " +
                "-p:TorchBackend=cuda). Use --device cpu or auto.\n"),
            Report(() => throw new NoCudaDeviceException()));
        Assert.Equal((1,
            "error: --preprocess mnist: MNIST's digit preparation is for grey models; this model takes colour images. Use --preprocess " +
                "auto or none.\n"),
            Report(() => throw new GreyModelsOnlyException()));
        Assert.Equal((1, "error: unexpected InvalidOperationException: broken\n"),
            Report(() => throw new InvalidOperationException("broken")));
    }

    [Fact]
    public void RunningOutOfMemoryIsNotSwallowed()
    {
        Assert.Throws<OutOfMemoryException>(() => Report(() => throw new OutOfMemoryException()));
    }
}
