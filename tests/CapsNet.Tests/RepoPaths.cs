namespace CapsNet.Tests;

/// <summary>Locations in the repository the tests run from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string MnistDir => Path.Combine(Root, "data", "mnist");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CapsNet.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No CapsNet.sln above {AppContext.BaseDirectory}.");
    }
}
