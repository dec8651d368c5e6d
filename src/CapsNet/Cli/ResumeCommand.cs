namespace CapsNet.Cli;

/// <summary>
/// The command that continues (or restarts) an interrupted run: the arguments it was given, with or without --resume,
/// started the way this program was: through <c>dotnet run</c> when it is a build inside the source tree (with the
/// project's path from wherever the command is typed), else as itself (a published app).
/// </summary>
internal static class ResumeCommand
{
    public static string Format(IEnumerable<string> args, bool resume) =>
        Format(args, resume, AppContext.BaseDirectory, Environment.ProcessPath, Environment.CurrentDirectory);

    /// <param name="programFolder">The folder of capsnet.dll.</param>
    /// <param name="processPath">The executable that was started: the app itself, or <c>dotnet</c> running the dll.</param>
    /// <param name="workingFolder">Where the command will be typed, as the run's own relative paths are.</param>
    internal static string Format(IEnumerable<string> args, bool resume, string programFolder, string? processPath, string workingFolder)
    {
        IEnumerable<string> again = args.Where(a => a != "--resume");
        if (resume)
            again = again.Append("--resume");
        return $"{Program(programFolder, processPath, workingFolder)} {string.Join(" ", again.Select(ShellWord.Quote))}";
    }

    private static string Program(string programFolder, string? processPath, string workingFolder)
    {
        if (SourceTree(programFolder) is string root)
        {
            string project = Path.GetFullPath(root) == Path.GetFullPath(workingFolder) ? "src/CapsNet" : Path.Combine(root, "src",
                "CapsNet");
            return $"dotnet run --project {ShellWord.Quote(project)} -c Release --";
        }
        if (processPath is null || Path.GetFileNameWithoutExtension(processPath) == "dotnet")
            return $"dotnet {ShellWord.Quote(Path.Combine(programFolder, "capsnet.dll"))}";
        return ShellWord.Quote(processPath);
    }

    private static string? SourceTree(string programFolder) =>
        Folders.SelfAndAbove(programFolder).FirstOrDefault(dir => File.Exists(Path.Combine(dir, "src", "CapsNet", "CapsNet.csproj")));
}
