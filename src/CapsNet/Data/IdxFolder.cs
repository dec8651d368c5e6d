using static TorchSharp.torch;

namespace CapsNet.Data;

/// <summary>
/// A folder holding a data set in MNIST's four IDX files (MNIST, Fashion-MNIST, EMNIST, KMNIST, ...), each
/// gzip-compressed (<c>name.gz</c>) or plain (<c>name</c>).
/// </summary>
internal static class IdxFolder
{
    public static string ImagesName(DataSplit split) => split == DataSplit.Train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte";

    public static string LabelsName(DataSplit split) => split == DataSplit.Train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte";

    /// <summary>Whether <paramref name="dir"/> holds any of the four files, so it is meant as an IDX folder.</summary>
    public static bool Holds(string dir) =>
        new[] { DataSplit.Train, DataSplit.Test }.SelectMany(s => new[] { ImagesName(s), LabelsName(s) })
            .Any(name => File.Exists(Path.Combine(dir, name)) || File.Exists(Path.Combine(dir, name + ".gz")));

    /// <summary>
    /// Loads one split, keeping the first <paramref name="maxSamples"/> when given; with <paramref name="md5"/>,
    /// each file's decompressed bytes must have the listed MD5 (checked after the shapes, so that a file of the
    /// wrong kind gets its own message rather than a checksum failure).
    /// </summary>
    public static ImageSet Load(string dir, DataSplit split, int? maxSamples = null, IReadOnlyDictionary<string, string>? md5 = null)
    {
        string imagesPath = Locate(dir, ImagesName(split)), labelsPath = Locate(dir, LabelsName(split));
        IdxFile images = IdxFile.Read(imagesPath, IdxFile.ImagesMagic);
        IdxFile labels = IdxFile.Read(labelsPath, IdxFile.LabelsMagic);
        ImageSet set = FromIdx(images, labels, maxSamples);
        try
        {
            if (md5 is not null)
            {
                images.EnsureMd5(imagesPath, md5[ImagesName(split)]);
                labels.EnsureMd5(labelsPath, md5[LabelsName(split)]);
            }
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>Builds a set from an images file [N,side,side] and a labels file [N] whose counts agree.</summary>
    public static ImageSet FromIdx(IdxFile images, IdxFile labels, int? maxSamples = null)
    {
        int[] dims = images.Dimensions;
        if (dims.Length != 3 || dims[1] != dims[2])
            throw new UserInputException($"IDX images must be square, found {string.Join("x", dims.Skip(1))}.");
        if (labels.Dimensions[0] != dims[0])
            throw new UserInputException($"The IDX files hold {dims[0]} images but {labels.Dimensions[0]} labels.");

        int count = Math.Min(dims[0], maxSamples ?? int.MaxValue), side = dims[1];
        Tensor pixels = tensor(images.Payload.AsSpan(0, count * side * side).ToArray(), [count, 1, side, side], ScalarType.Byte);
        Tensor labelTensor;
        using (var bytes = tensor(labels.Payload.AsSpan(0, count).ToArray(), ScalarType.Byte))
            labelTensor = bytes.to_type(ScalarType.Int64);
        return new ImageSet(pixels, labelTensor);
    }

    private static string Locate(string dir, string name)
    {
        string gzipped = Path.Combine(dir, name + ".gz");
        string plain = Path.Combine(dir, name);
        if (File.Exists(gzipped))
            return gzipped;
        if (File.Exists(plain))
            return plain;
        throw new UserInputException($"IDX file '{gzipped}' not found (nor '{name}' uncompressed) in '{dir}'.");
    }
}
