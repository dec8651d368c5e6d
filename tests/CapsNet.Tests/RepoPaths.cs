namespace CapsNet.Tests;

/// <summary>Locations in the repository the tests run from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string MnistDir => Path.Combine(Root, "data", "mnist");

    private static string FindRoot() =>
        Folders.SelfAndAbove(AppContext.BaseDirectory).FirstOrDefault(dir => File.Exists(Path.Combine(dir, "CapsNet.sln")))
            ?? throw new InvalidOperationException($"No CapsNet.sln above {AppContext.BaseDirectory}.");
}
