using System.Collections.Concurrent;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using CapsNet.Imaging;
using static TorchSharp.torch;

namespace CapsNet.Data;

/// <summary>
/// A data set as a folder of images, <c>train/CLASS/*</c> and <c>test/CLASS/*</c> (the layout of torchvision's
/// ImageFolder and Keras' image_dataset_from_directory). Class names are the training folder names, sorted;
/// images are decoded once, in parallel, into one byte tensor.
/// </summary>
internal static class ImageFolder
{
    /// <summary>Whether <paramref name="root"/> is laid out as train/ and test/ folders.</summary>
    public static bool Holds(string root) =>
        Directory.Exists(Path.Combine(root, "train")) || Directory.Exists(Path.Combine(root, "test"));

    /// <summary>
    /// Loads the set. Grey (1 channel) when every image is grey, else colour (3), unless the request forces
    /// one; all images must share one square size unless the request gives a side to resize them to.
    /// </summary>
    public static DataSet Load(string root, DataRequest request)
    {
        string trainDir = Path.Combine(root, "train"), testDir = Path.Combine(root, "test");
        if (request.WithTrain && !Directory.Exists(trainDir))
            throw new UserInputException($"Image folder '{root}' has no train/ folder of classes.");
        if (!Directory.Exists(testDir))
            throw new UserInputException($"Image folder '{root}' has no test/ folder of classes.");

        string classDir = Directory.Exists(trainDir) ? trainDir : testDir;
        IReadOnlyList<string> classes = request.ClassNames ?? ClassFolders(classDir);
        if (classes.Count < 2)
            throw new UserInputException($"'{classDir}' has {classes.Count} class folder{(classes.Count == 1 ? "" : "s")}; CapsNet needs " +
                "at least 2.");
        var problems = new List<string>();
        var warnings = new List<string>();
        List<(string Path, long Label)>? trainFiles = request.WithTrain ? ListFiles(trainDir, classes, problems, warnings) : null;
        List<(string Path, long Label)> testFiles = ListFiles(testDir, classes, problems, warnings);
        if (problems.Count > 0)
            throw new UserInputException($"Image folder '{root}': {Summarise(problems)}");

        trainFiles = trainFiles?.Take(request.TrainSamples ?? int.MaxValue).ToList();
        testFiles = testFiles.Take(request.TestSamples ?? int.MaxValue).ToList();
        var all = (trainFiles ?? []).Concat(testFiles).ToArray();
        Decoded[] decoded = DecodeAll(root, all.Select(f => f.Path).ToArray(), request.ImageSize);
        int side = CommonSide(root, all, decoded);
        int channels = request.Channels ?? (decoded.All(d => d.IsGrey) ? 1 : 3);

        ImageSet? train = trainFiles is null ? null : Pack(decoded[..trainFiles.Count], trainFiles, channels, side);
        ImageSet test = Pack(decoded[(trainFiles?.Count ?? 0)..], testFiles, channels, side);
        return new DataSet(Path.GetFullPath(root), classes, train, test) { Resizable = true, Warnings = warnings };
    }

    private static string[] ClassFolders(string dir)
    {
        try
        {
            return Directory.GetDirectories(dir).Select(Path.GetFileName).Where(name =>
                !name!.StartsWith('.')).Order(StringComparer.Ordinal).ToArray()!;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = e is UnauthorizedAccessException ? "permission denied" : e.Message.TrimEnd('.');
            throw new UserInputException($"Folder '{dir}' cannot be read ({reason}).", e);
        }
    }

    /// <summary>
    /// The images of each class, taken one per class in turn (round robin), so the first N of a split hold
    /// every class and a subset is as balanced as the folder. Each class folder is searched with its links to
    /// folders, each real folder once (<see cref="FileWalk"/>); the links not followed are told in <paramref name="warnings"/>.
    /// </summary>
    private static List<(string Path, long Label)> ListFiles(string splitDir, IReadOnlyList<string> classes, List<string> problems,
        List<string> warnings)
    {
        string split = Path.GetFileName(splitDir), root = Path.GetDirectoryName(splitDir)!;
        foreach (string folder in ClassFolders(splitDir).Where(f => !classes.Contains(f)))
            problems.Add($"{split}/{folder} is a class the model does not have (classes: {string.Join(", ", classes)})");
        var perClass = new List<IReadOnlyList<string>>();
        foreach (string name in classes)
        {
            string dir = Path.Combine(splitDir, name);
            IReadOnlyList<string> files = [];
            bool unreadable = false;
            if (Directory.Exists(dir))
            {
                FileWalk walk = FileWalk.Under(dir, file => !file.StartsWith('.'));
                (files, unreadable) = (walk.Files, walk.Unreadable.Count > 0);
                warnings.AddRange(walk.Warnings);
                problems.AddRange(walk.Unreadable.Select(u => $"{Path.GetRelativePath(root, u.Path)}: {u.Problem}"));
            }
            if (files.Count == 0 && !unreadable && (split == "train" || Directory.Exists(dir)))
                problems.Add($"{split}/{name} holds no images");
            perClass.Add(files);
        }
        var ordered = new List<(string, long)>();
        for (int k = 0; perClass.Any(files => k < files.Count); k++)
            for (int label = 0; label < perClass.Count; label++)
                if (k < perClass[label].Count)
                    ordered.Add((perClass[label][k], label));
        return ordered;
    }

    private static Decoded[] DecodeAll(string root, string[] paths, int? resizeTo)
    {
        var decoded = new Decoded[paths.Length];
        var failures = new ConcurrentBag<(int Index, string Problem)>();
        Parallel.For(0, paths.Length, i =>
        {
            try
            {
                decoded[i] = Decode(paths[i], resizeTo);
            }
            catch (UserInputException e)
            {
                failures.Add((i, $"{Path.GetRelativePath(root, paths[i])} ({e.Message})"));
            }
        });
        if (!failures.IsEmpty)
            throw new UserInputException($"Image folder '{root}': {failures.Count} of {paths.Length} files are not readable images: " +
                Summarise(failures.OrderBy(f => f.Index).Select(f => f.Problem).ToList()));
        return decoded;
    }

    private static Decoded Decode(string path, int? resizeTo)
    {
        using Image<Rgb24> image = ImageReader.Read(path);
        if (resizeTo is int side && (image.Width != side || image.Height != side))
            image.Mutate(c => c.Resize(side, side));
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        bool grey = true;
        for (int p = 0; p < rgb.Length && grey; p += 3)
            grey = rgb[p] == rgb[p + 1] && rgb[p] == rgb[p + 2];
        return new Decoded(image.Width, image.Height, rgb, grey);
    }

    private static int CommonSide(string root, (string Path, long Label)[] files, Decoded[] decoded)
    {
        Decoded first = decoded[0];
        int[] different = Enumerable.Range(0, decoded.Length)
            .Where(i => decoded[i].Width != first.Width || decoded[i].Height != first.Height).ToArray();
        if (different.Length > 0)
        {
            int other = different[0];
            throw new ImageSizeException($"Image folder '{root}': images differ in size, {first.Width}x{first.Height} " +
                $"({Path.GetRelativePath(root, files[0].Path)}) and {decoded[other].Width}x{decoded[other].Height} " +
                $"({Path.GetRelativePath(root, files[other].Path)}); {different.Length} of {decoded.Length} differ from the first.");
        }
        if (first.Width != first.Height)
            throw new ImageSizeException($"Image folder '{root}': images are {first.Width}x{first.Height}, not square.");
        return first.Width;
    }

    /// <summary>Lays the images out as bytes [N,C,side,side].</summary>
    private static ImageSet Pack(Decoded[] images, List<(string Path, long Label)> files, int channels, int side)
    {
        int area = side * side;
        var pixels = new byte[images.Length * channels * area];
        Parallel.For(0, images.Length, i => PlanarPixels.FromRgb(images[i].Rgb, channels, pixels.AsSpan(i * channels * area,
            channels * area)));
        return new ImageSet(tensor(pixels, [images.Length, channels, side, side], ScalarType.Byte),
            tensor(files.Select(f => f.Label).ToArray(), ScalarType.Int64));
    }

    private static string Summarise(List<string> problems, int shown = 3) =>
        string.Join("; ", problems.Take(shown)) + (problems.Count > shown ? $"; and {problems.Count - shown} more." : ".");

    private sealed record Decoded(int Width, int Height, byte[] Rgb, bool IsGrey);
}
