namespace CapsNet.Data;

/// <summary>
/// Loads a data set by name (<c>mnist</c>, <c>fashion-mnist</c>, <c>multimnist</c>) or from a folder of IDX files or
/// images.
/// </summary>
internal static class DataSets
{
    /// <summary>MultiMNIST (paper, section 6): pairs of MNIST's digits, overlaid.</summary>
    public const string MultiMnist = "multimnist";

    public static DataSet Load(DataRequest request)
    {
        if (string.Equals(request.NameOrFolder, MultiMnist, StringComparison.OrdinalIgnoreCase))
            return Paired(request);
        if (KnownDataSet.Find(request.NameOrFolder) is { } known)
            return FromIdx(known.Name, known.Folder(), request, known.ClassNames, known.Md5);

        string folder = request.NameOrFolder;
        if (!Directory.Exists(folder))
        {
            string names = string.Join(", ", KnownDataSet.All.Select(k => k.Name).Append(MultiMnist));
            throw new UserInputException($"Data set '{folder}' is neither a known data set ({names}) nor a folder.");
        }
        if (ImageFolder.Holds(folder))
            return ImageFolder.Load(folder, request);
        if (IdxFolder.Holds(folder))
            return FromIdx(Path.GetFullPath(folder), folder, request, request.ClassNames, md5: null);
        throw new UserInputException($"Data folder '{folder}' holds neither the four MNIST-format IDX files nor train/ and test/ folders " +
            "of images.");
    }

    /// <summary>MNIST's digits, to be paired: the splits hold the digits, <see cref="DataSet.Pairs"/> says how they are overlaid.</summary>
    private static DataSet Paired(DataRequest request)
    {
        KnownDataSet mnist = KnownDataSet.Mnist;
        DataSet digits = FromIdx(mnist.Name, mnist.Folder(), request with { Channels = null, ImageSize = null }, mnist.ClassNames,
            mnist.Md5);
        return new DataSet(MultiMnist, digits.ClassNames, digits.Train, digits.Test)
        {
            Pairs = new PairedDigits(request.PairShift, Data.MultiMnist.PaperPad),
        };
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
                EnsureLabelsInRange(folder, data, derivedClasses: classNames is null);
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

    private static void EnsureLabelsInRange(string folder, DataSet data, bool derivedClasses)
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
                throw new UserInputException($"Data file '{Path.Combine(folder, IdxFolder.LabelsName(split))}': label {bad} is " +
                    $"{labels[bad]}, " +
                    $"outside the {classes} classes " +
                        $"0-{classes - 1}{(split == DataSplit.Test && data.Train is not null ? " the training labels have" : "")}.");
        }
        if (derivedClasses)
            EnsureEveryClassTrained(folder, data);
    }

    /// <summary>
    /// Where the classes are read off the labels (0 to the largest), a class without training images is a mistake,
    /// not a class: one stray label of 255 would otherwise make a network of 256 classes, 246 of which it could never
    /// learn.
    /// </summary>
    private static void EnsureEveryClassTrained(string folder, DataSet data)
    {
        if (data.Train is null)
            return;
        var seen = data.Train.LabelArray().ToHashSet();
        long[] missing = Enumerable.Range(0, data.ClassNames.Count).Select(c => (long)c).Where(c => !seen.Contains(c)).ToArray();
        if (missing.Length == 0)
            return;
        string which = missing.Length <= 5 ? string.Join(", ",
            missing) : $"{string.Join(", ", missing[..5])} and {missing.Length - 5} more";
        throw new UserInputException($"Data file '{Path.Combine(folder, IdxFolder.LabelsName(DataSplit.Train))}': the labels run from 0 " +
            "to " +
            $"{data.ClassNames.Count - 1}, but {(missing.Length == 1 ? "class" : "classes")} {which} " +
                $"{(missing.Length == 1 ? "has" : "have")} " +
            $"no image among the {data.Train.Count} training images. Every class needs some.");
    }

    /// <summary>IDX images are grey at their own side; a model that needs other images cannot use them.</summary>
    private static void EnsureFits(string folder, DataSet data, DataRequest request)
    {
        if ((request.Channels ?? 1) != 1 || (request.ImageSize ?? data.Side) != data.Side)
            throw new UserInputException($"Data folder '{folder}' holds 1x{data.Side}x{data.Side} images, " +
                $"not the {request.Channels ?? 1}x{request.ImageSize ?? data.Side}x{request.ImageSize ?? data.Side} asked for.");
    }
}
