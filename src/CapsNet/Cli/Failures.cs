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
        catch (UserInputException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCode;
        }
        catch (TrainingDivergedException e)
        {
            error.WriteLine($"error: {e.Message} Try a smaller --lr.");
            return ExitCode;
        }
        catch (NoCudaDeviceException e)
        {
            error.WriteLine($"error: --device cuda: {e.Message} Use --device cpu or auto.");
            return ExitCode;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not the user's doing; still one line, with enough to report it.
            error.WriteLine($"error: unexpected {e.GetType().Name}: {e.Message}");
            return ExitCode;
        }
    }
}
