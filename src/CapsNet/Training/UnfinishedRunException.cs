namespace CapsNet.Training;

/// <summary>A new run was asked for in a folder that holds an unfinished one, which it would replace.</summary>
internal sealed class UnfinishedRunException(string folder, string progress)
    : UserInputException($"'{folder}' holds an unfinished training run ({progress}).")
{
}
