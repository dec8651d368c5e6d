using CapsNet.Data;
using CapsNet.Imaging;
using CapsNet.Inference;
using CapsNet.Model;
using CapsNet.Native;
using CapsNet.Training;

namespace CapsNet.Cli;

/// <summary>Runs a command's work, turning every failure into one line on stderr and its exit code.</summary>
internal static class Failures
{
    /// <summary>A file, folder, data or weights problem.</summary>
    public const int ExitCode = 1;

    /// <summary>A mistake in the flags, found by the parser or after it.</summary>
    public const int UsageError = 2;

    /// <summary>The pretrained MNIST model committed with the code (docs/results.md).</summary>
    public const string ShippedModel = "models/capsnet-mnist-v4.pt";

    public static int Report(TextWriter error, Func<int> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error.WriteLine($"error: {Message(e)}");
            return e is UsageException or UnknownClassException ? UsageError : ExitCode;
        }
    }

    /// <summary>The one line the user reads; a lower layer's fact gets the flag that changes it.</summary>
    private static string Message(Exception e) => e switch
    {
        UnknownClassException => $"--digit {e.Message}",
        BatchTooLargeException batch => $"--batch_size {batch.Batch} is larger than the {batch.Images} training images" +
            (batch.HeldOut is int held ? $" left after --val_samples {held}." : "."),
        OutputFolderException folder => $"--save_dir '{folder.Folder}' {folder.Problem}",
        FolderBusyException => $"{e.Message} Wait for it to end, or choose another --save_dir.",
        UnfinishedRunException => $"{e.Message} Continue it with --resume, or start over with --overwrite.",
        NoRunToResumeException => $"{e.Message} Train without --resume first.",
        ImageTooSmallException { Resizable: true } small => $"{e.Message} Give --image_size {small.Minimum} or more to enlarge them.",
        ImageSizeException => $"{e.Message} Give --image_size N to resize them all to NxN.",
        NoModelException => $"{e.Message} Give -w MODEL; for digits, the repository's {ShippedModel}.",
        GreyModelsOnlyException => $"--preprocess mnist: {e.Message}. Use --preprocess auto or none.",
        TrainingDivergedException => $"{e.Message} Try a smaller --lr.",
        NotEnoughMemoryException { BatchSize: > 1 } =>
            $"{e.Message} Give a smaller --batch_size, smaller images, or --max_memory if the machine has more to give.",
        NoCudaDeviceException => $"--device cuda: {e.Message} Use --device cpu or auto.",
        UserInputException => e.Message,
        _ => $"unexpected {e.GetType().Name}: {e.Message}",  // not the user's doing; still one line, with enough to report it
    };
}
