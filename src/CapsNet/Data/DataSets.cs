namespace CapsNet.Data;

/// <summary>Loads a data set by name (<c>mnist</c>, <c>fashion-mnist</c>) or from a folder of IDX files or images.</summary>
internal static class DataSets
{
    public const string Default = "mnist";

    public static DataSet Load(DataRequest request)
    {
        if (KnownDataSet.Find(request.NameOrFolder) is { } known)
            return FromIdx(known.Name, known.Folder(), request, known.ClassNames, known.Md5);

        string folder = request.NameOrFolder;
        if (!Directory.Exists(folder))
            throw new UserInputException($"Data set '{folder}' is neither {string.Join(" nor ", KnownDataSet.All.Select(k => k.Name))} nor a folder.");
        if (ImageFolder.Holds(folder))
            return ImageFolder.Load(folder, request);
        if (IdxFolder.Holds(folder))
            return FromIdx(Path.GetFullPath(folder), folder, request, request.ClassNames, md5: null);
        throw new UserInputException($"Data folder '{folder}' holds neither the four MNIST-format IDX files nor train/ and test/ folders of images.");
    }

    /// <summary>
    /// An IDX set; the classes are the given names, else 0 to the largest training label. Every label must be
    /// one of them.
    /// </summary>
    private static DataSet FromIdx(string name, string folder, DataRequest request, IReadOnlyList<string>? classNames,
        IReadOnlyDictionary<string, string>? md5)
    {
        ImageSet? train = request.WithTrain ? IdxFolder.Load(folder, DataSplit.Train, request.TrainSamples, md5) : null;
        try
        {
            ImageSet test = IdxFolder.Load(folder, DataSplit.Test, request.TestSamples, md5);
            var data = new DataSet(name, classNames ?? Digits(train ?? test), train, test);
            try
            {
                EnsureLabelsInRange(folder, data);
                EnsureFits(folder, data, request);
                return data;
            }
            catch
            {
                data.Dispose();
                throw;
            }
        }
        catch
        {
            train?.Dispose();
            throw;
        }
    }

    private static string[] Digits(ImageSet labelled)
    {
        int classes = (int)labelled.LabelArray().Max() + 1;
        return Enumerable.Range(0, classes).Select(c => c.ToString()).ToArray();
    }

    private static void EnsureLabelsInRange(string folder, DataSet data)
    {
        int classes = data.ClassNames.Count;
        if (classes < 2)
            throw new UserInputException($"Data folder '{folder}' has labels of {classes} class; CapsNet needs at least 2.");
        foreach (var (split, set) in new[] { (DataSplit.Train, data.Train), (DataSplit.Test, data.Test) })
        {
            if (set is null)
                continue;
            long[] labels = set.LabelArray();
            int bad = Array.FindIndex(labels, label => label >= classes);
            if (bad >= 0)
                throw new UserInputException($"Data file '{Path.Combine(folder, IdxFolder.LabelsName(split))}': label {bad} is {labels[bad]}, " +
                    $"outside the {classes} classes 0-{classes - 1}{(split == DataSplit.Test && data.Train is not null ? " the training labels have" : "")}.");
        }
    }

    /// <summary>IDX images are grey at their own side; a model that needs other images cannot use them.</summary>
    private static void EnsureFits(string folder, DataSet data, DataRequest request)
    {
        if ((request.Channels ?? 1) != 1 || (request.ImageSize ?? data.Side) != data.Side)
            throw new UserInputException($"Data folder '{folder}' holds 1x{data.Side}x{data.Side} images, " +
                $"not the {request.Channels ?? 1}x{request.ImageSize ?? data.Side}x{request.ImageSize ?? data.Side} asked for.");
    }
}
