namespace CapsNet;

/// <summary>An output folder that is a file, or cannot be created or written.</summary>
internal sealed class OutputFolderException(string folder, string problem) : UserInputException($"Output folder '{folder}' {problem}")
{
    public string Folder => folder;

    /// <summary>"is not writable: ..."</summary>
    public string Problem => problem;
}
