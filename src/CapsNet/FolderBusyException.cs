namespace CapsNet;

/// <summary>Another process is running in the folder a run would write to.</summary>
internal sealed class FolderBusyException(string folder)
    : UserInputException($"Another run is writing to '{folder}'.")
{
}
