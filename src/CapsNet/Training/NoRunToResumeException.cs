namespace CapsNet.Training;

/// <summary>Resuming was asked for in a folder that holds no training run.</summary>
internal sealed class NoRunToResumeException(string folder)
    : UserInputException($"Cannot resume: no {RunFiles.CheckpointFile} in '{folder}'.")
{
}
