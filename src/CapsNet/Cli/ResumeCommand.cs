namespace CapsNet.Cli;

/// <summary>
/// The command that continues an interrupted run: the arguments it was given, with --resume, started the way this
/// program was: through <c>dotnet run</c> when it is a build inside the source tree, else as itself (a published app).
/// </summary>
public static class ResumeCommand
{
    public static string Format(IEnumerable<string> args) => Format(args, AppContext.BaseDirectory, Environment.ProcessPath);

    /// <param name="programFolder">The folder of capsnet.dll.</param>
    /// <param name="processPath">The executable that was started: the app itself, or <c>dotnet</c> running the dll.</param>
    internal static string Format(IEnumerable<string> args, string programFolder, string? processPath)
    {
        IEnumerable<string> again = args.Where(a => a != "--resume").Append("--resume").Select(ShellWord.Quote);
        return $"{Program(programFolder, processPath)} {string.Join(" ", again)}";
    }

    private static string Program(string programFolder, string? processPath)
    {
        if (InSourceTree(programFolder))
            return "dotnet run --project src/CapsNet -c Release --";
        if (processPath is null || Path.GetFileNameWithoutExtension(processPath) == "dotnet")
            return $"dotnet {ShellWord.Quote(Path.Combine(programFolder, "capsnet.dll"))}";
        return ShellWord.Quote(processPath);
    }

    private static bool InSourceTree(string programFolder) =>
        Folders.SelfAndAbove(programFolder).Any(dir => File.Exists(Path.Combine(dir, "src", "CapsNet", "CapsNet.csproj")));
}
