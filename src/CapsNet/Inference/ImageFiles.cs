using CapsNet.Data;

namespace CapsNet.Inference;

/// <summary>
/// The picture files named on the command line: files as given, folders searched recursively by extension, each real
/// folder once (<see cref="FileWalk"/>).
/// </summary>
internal static class ImageFiles
{
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"];

    /// <summary>
    /// The files in order; the paths that gave none or could not be read, each with its reason; and the links not followed.
    /// </summary>
    public static (List<string> Files, List<(string Path, string Problem)> Problems, List<string> Warnings) Find(IEnumerable<string> paths)
    {
        var files = new List<string>();
        var problems = new List<(string, string)>();
        var warnings = new List<string>();
        foreach (string path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                FileWalk walk = FileWalk.Under(path,
                    name => Extensions.Contains(Path.GetExtension(name).ToLowerInvariant()) && !name.StartsWith('.'));
                problems.AddRange(walk.Unreadable);
                warnings.AddRange(walk.Warnings);
                if (walk.Files.Count == 0 && walk.Unreadable.Count == 0)
                    problems.Add((path, "folder holds no PNG, JPEG, BMP, GIF, TIFF or WebP files"));
                files.AddRange(walk.Files);
            }
            else
            {
                problems.Add((path, "not found"));
            }
        }
        return (files, problems, warnings);
    }
}
