namespace CapsNet.Inference;

/// <summary>The picture files named on the command line: files as given, folders searched recursively by extension.</summary>
internal static class ImageFiles
{
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"];

    /// <summary>The files in order, and the paths that gave none, each with its reason.</summary>
    public static (List<string> Files, List<(string Path, string Problem)> Problems) Find(IEnumerable<string> paths)
    {
        var files = new List<string>();
        var problems = new List<(string, string)>();
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                string[] found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()) && !Path.GetFileName(f).StartsWith('.'))
                    .Order(StringComparer.Ordinal).ToArray();
                if (found.Length == 0)
                    problems.Add((path, "folder holds no PNG, JPEG, BMP, GIF, TIFF or WebP files"));
                files.AddRange(found);
            }
            else
            {
                problems.Add((path, "not found"));
            }
        }
        return (files, problems);
    }
}
