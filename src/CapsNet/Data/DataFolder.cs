namespace CapsNet.Data;

/// <summary>Where MNIST is looked for when --data_dir is not given.</summary>
public static class DataFolder
{
    public const string Relative = "data/mnist";

    /// <summary>data/mnist under the current folder, else under the nearest folder above the program that has one.</summary>
    public static string Default()
    {
        if (Directory.Exists(Relative))
            return Relative;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, Relative);
            if (Directory.Exists(candidate))
                return candidate;
        }
        return Relative;
    }
}
