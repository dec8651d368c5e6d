using CapsNet.Imaging;
using CapsNet.Native;
using CapsNet.Training;

namespace CapsNet.Cli;

/// <summary>Runs a command's work, turning every failure into one line on stderr and exit code 1.</summary>
public static class Failures
{
    public const int ExitCode = 1;

    public static int Report(TextWriter error, Func<int> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error.WriteLine($"error: {Message(e)}");
            return ExitCode;
        }
    }

    /// <summary>The one line the user reads; a lower layer's fact gets the flag that changes it.</summary>
    private static string Message(Exception e) => e switch
    {
        GreyModelsOnlyException => $"--preprocess mnist: {e.Message}. Use --preprocess auto or none.",
        UserInputException => e.Message,
        TrainingDivergedException => $"{e.Message} Try a smaller --lr.",
        NoCudaDeviceException => $"--device cuda: {e.Message} Use --device cpu or auto.",
        _ => $"unexpected {e.GetType().Name}: {e.Message}",  // not the user's doing; still one line, with enough to report it
    };
}
