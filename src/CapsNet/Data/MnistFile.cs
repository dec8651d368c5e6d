namespace CapsNet.Data;

/// <summary>One of the four canonical MNIST files and the MD5 of its decompressed bytes.</summary>
public sealed record MnistFile(string Name, string Md5)
{
    public static readonly MnistFile TrainImages = new("train-images-idx3-ubyte", "6bbc9ace898e44ae57da46a324031adb");
    public static readonly MnistFile TrainLabels = new("train-labels-idx1-ubyte", "a25bea736e30d166cdddb491f175f624");
    public static readonly MnistFile TestImages = new("t10k-images-idx3-ubyte", "2646ac647ad5339dbf082846283269ea");
    public static readonly MnistFile TestLabels = new("t10k-labels-idx1-ubyte", "27ae3e4e09519cfbb04c329615203637");

    /// <summary>The path of this file in <paramref name="dataDir"/>, gzip-compressed or plain.</summary>
    public string Locate(string dataDir)
    {
        string gzipped = Path.Combine(dataDir, Name + ".gz");
        string plain = Path.Combine(dataDir, Name);
        if (File.Exists(gzipped))
            return gzipped;
        if (File.Exists(plain))
            return plain;
        throw new UserInputException($"MNIST file '{gzipped}' not found (nor '{Name}' uncompressed) in '{dataDir}'.");
    }
}
