using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Data;

/// <summary>
/// MNIST images as float32 [N,1,28,28] in [0,1] and labels as int64 [N], on the CPU.
/// The caller owns the tensors.
/// </summary>
public sealed class MnistData : IDisposable
{
    public const int ImageSide = 28;
    public const int ClassCount = 10;

    public MnistData(Tensor images, Tensor labels)
    {
        Images = images;
        Labels = labels;
    }

    public Tensor Images { get; }

    public Tensor Labels { get; }

    public int Count => (int)Labels.shape[0];

    /// <summary>
    /// Loads one split from <paramref name="dataDir"/>, where each file may be gzip-compressed
    /// (<c>name.gz</c>) or plain (<c>name</c>), keeping the first <paramref name="maxSamples"/> when given.
    /// </summary>
    public static MnistData Load(string dataDir, MnistSplit split, int? maxSamples = null)
    {
        if (!Directory.Exists(dataDir))
            throw new UserInputException($"Data folder '{dataDir}' not found; point --data_dir at the folder holding the MNIST files.");

        MnistFile imagesFile = split == MnistSplit.Train ? MnistFile.TrainImages : MnistFile.TestImages;
        MnistFile labelsFile = split == MnistSplit.Train ? MnistFile.TrainLabels : MnistFile.TestLabels;
        string imagesPath = imagesFile.Locate(dataDir), labelsPath = labelsFile.Locate(dataDir);
        IdxFile images = IdxFile.Read(imagesPath, IdxFile.ImagesMagic);
        IdxFile labels = IdxFile.Read(labelsPath, IdxFile.LabelsMagic);
        MnistData data = FromIdx(images, labels, maxSamples);
        try
        {
            // After the shape checks, so a shape problem gets its own message rather than a checksum failure.
            images.EnsureMd5(imagesPath, imagesFile.Md5);
            labels.EnsureMd5(labelsPath, labelsFile.Md5);
            return data;
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>Builds tensors from an images file [N,28,28] and a labels file [N] whose counts agree.</summary>
    public static MnistData FromIdx(IdxFile images, IdxFile labels, int? maxSamples = null)
    {
        int[] dims = images.Dimensions;
        if (dims.Length != 3 || dims[1] != ImageSide || dims[2] != ImageSide)
            throw new UserInputException($"MNIST images must be {ImageSide}x{ImageSide}, found {string.Join("x", dims.Skip(1))}.");
        if (labels.Dimensions[0] != dims[0])
            throw new UserInputException($"MNIST has {dims[0]} images but {labels.Dimensions[0]} labels.");
        int outOfRange = Array.FindIndex(labels.Payload, label => label >= ClassCount);
        if (outOfRange >= 0)
            throw new UserInputException($"MNIST label {outOfRange} is {labels.Payload[outOfRange]}, outside 0-{ClassCount - 1}.");

        int count = Math.Min(dims[0], maxSamples ?? int.MaxValue);
        const int pixels = ImageSide * ImageSide;
        Tensor imageTensor;
        using (var bytes = tensor(images.Payload.AsSpan(0, count * pixels).ToArray(), [count, 1, ImageSide, ImageSide], ScalarType.Byte))
            imageTensor = bytes.to_type(ScalarType.Float32).div_(255f);
        Tensor labelTensor = tensor(labels.Payload.AsSpan(0, count).ToArray(), ScalarType.Byte).to_type(ScalarType.Int64);
        return new MnistData(imageTensor, labelTensor);
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
