namespace CapsNet;

internal static class Folders
{
    /// <summary>
    /// <paramref name="folder"/> and every folder above it, nearest first: where to look for what lies beside the program.
    /// </summary>
    public static IEnumerable<string> SelfAndAbove(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
            yield return dir.FullName;
    }
}
