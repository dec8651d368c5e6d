namespace CapsNet;

/// <summary>
/// Where an output may go. A path that exists and is not a regular file (a device, a FIFO, a folder, a socket, or
/// a symbolic link to one of those) is refused: writing by rename would replace that node with a plain file, as
/// <c>export --onnx /dev/null</c> run as root once replaced the system's /dev/null. A symbolic link to a regular
/// file is written through to its target, and stays a link. Also the checks a command makes of its outputs
/// against its inputs and against each other.
/// </summary>
internal static class OutputPath
{
    /// <summary>
    /// The file a write of <paramref name="path"/> replaces: the full path itself, or the regular file (or the
    /// name of a file yet to be made) that a symbolic link there leads to.
    /// </summary>
    public static string Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        FileNode? node = FileNode.Of(full, followLinks: false);
        if (node is null || node.Value.Kind == FileKind.Regular)
            return full;
        if (node.Value.Kind != FileKind.SymbolicLink)
            throw Refused(path, node.Value.Described);
        string target = Path.GetFullPath(File.ResolveLinkTarget(full, returnFinalTarget: true)!.FullName);
        FileNode? reached = FileNode.Of(target, followLinks: false);
        if (reached is null || reached.Value.Kind == FileKind.Regular)
            return target;
        throw Refused(path, $"a symbolic link to {reached.Value.Described} ('{target}')");
    }

    /// <summary>
    /// Refuses an output that is the input itself under any name (a link, a hard link, another spelling): the
    /// write would replace what is being read.
    /// </summary>
    public static void EnsureNotInput(string output, string input)
    {
        if (SameFile(output, input))
            throw new UserInputException($"The output '{output}' is the input '{input}': writing it would replace what is being read. " +
                "Name another output.");
    }

    /// <summary>
    /// Refuses two outputs of one command that are one file (the weights <c>x.json</c> and their description, also
    /// <c>x.json</c>, say): the second write would replace the first. The roles name them in the message.
    /// </summary>
    public static void EnsureDistinct(string first, string firstRole, string second, string secondRole)
    {
        if (SameFile(first, second))
            throw new UserInputException($"'{first}' would be written twice, as {firstRole} and as {secondRole}, the second replacing " +
                "the first. " +
                $"Give {firstRole} another name.");
    }

    /// <summary>
    /// Whether two paths name one file: by identity when both exist; when neither does yet, whether they are one
    /// name in one folder (however the folder is reached).
    /// </summary>
    internal static bool SameFile(string a, string b)
    {
        string fullA = Path.GetFullPath(a), fullB = Path.GetFullPath(b);
        FileNode? nodeA = FileNode.Of(fullA), nodeB = FileNode.Of(fullB);
        if (nodeA is not null || nodeB is not null)
            return nodeA == nodeB;
        if (Path.GetFileName(fullA) != Path.GetFileName(fullB))
            return false;
        FileNode? folderA = FileNode.Of(Path.GetDirectoryName(fullA)!), folderB = FileNode.Of(Path.GetDirectoryName(fullB)!);
        return folderA is not null ? folderA == folderB : fullA == fullB;
    }

    private static UserInputException Refused(string path, string what) =>
        new($"Cannot write '{path}': it is {what}, not a regular file, and is left as it is. Name a file to write.");
}
