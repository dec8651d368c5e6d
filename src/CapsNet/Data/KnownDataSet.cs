namespace CapsNet.Data;

/// <summary>A data set shipped in <c>data/NAME</c>: its class names and the MD5 of each file's decompressed bytes.</summary>
internal sealed record KnownDataSet(string Name, IReadOnlyList<string> ClassNames, IReadOnlyDictionary<string, string> Md5)
{
    public static readonly KnownDataSet Mnist = new("mnist", ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte"] = "6bbc9ace898e44ae57da46a324031adb",
            ["train-labels-idx1-ubyte"] = "a25bea736e30d166cdddb491f175f624",
            ["t10k-images-idx3-ubyte"] = "2646ac647ad5339dbf082846283269ea",
            ["t10k-labels-idx1-ubyte"] = "27ae3e4e09519cfbb04c329615203637",
        });

    public static readonly KnownDataSet FashionMnist = new("fashion-mnist",
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        new Dictionary<string, string>
        {
            ["train-images-idx3-ubyte"] = "f4a8712d7a061bf5bd6d2ca38dc4d50a",
            ["train-labels-idx1-ubyte"] = "9018921c3c673c538a1fc5bad174d6f9",
            ["t10k-images-idx3-ubyte"] = "8181f5470baa50b63fa0f6fddb340f0a",
            ["t10k-labels-idx1-ubyte"] = "15d484375f8d13e6eb1aabb0c3f46965",
        });

    public static IReadOnlyList<KnownDataSet> All { get; } = [Mnist, FashionMnist];

    public static KnownDataSet? Find(string name) =>
        All.FirstOrDefault(known => string.Equals(known.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary><c>data/NAME</c> under the current folder, else under the nearest folder above the program that has one.</summary>
    public string Folder()
    {
        string relative = Path.Combine("data", Name);
        if (Directory.Exists(relative))
            return relative;
        return Folders.SelfAndAbove(AppContext.BaseDirectory).Select(dir => Path.Combine(dir, relative)).FirstOrDefault(Directory.Exists)
            ?? throw new UserInputException($"The {Name} data set is not here: no folder '{relative}' in the current folder or above the " +
                "program.");
    }
}
