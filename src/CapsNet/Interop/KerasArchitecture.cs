using System.Text.RegularExpressions;
using CapsNet.Model;

namespace CapsNet.Interop;

/// <summary>
/// The weights of capsulenet.py's CapsNet as Keras saves them, and how a file's layers are checked against them.
/// Shapes are Keras': conv kernels [kh,kw,in,out], dense kernels [in,out], W [classes,input capsules,16,8].
/// </summary>
internal static partial class KerasArchitecture
{
    public const string Conv1 = "conv1";
    public const string PrimaryCaps = "primarycap_conv2d";
    public const string DigitCaps = "digitcaps";
    public const string Decoder = "decoder";


    /// <summary>The weight shapes of each layer that has weights, for a network of <paramref name="config"/>'s shape.</summary>
    public static Dictionary<string, long[][]> Expected(CapsNetConfig config)
    {
        CapsNetConfig c = config;
        int conv1 = c.Conv1Kernel, primary = c.PrimaryKernel, filters = c.Conv1Channels, hidden1 = c.DecoderHidden1,
            hidden2 = c.DecoderHidden2;
        return new()
        {
            [Conv1] = [[conv1, conv1, c.InputChannels, filters], [filters]],
            [PrimaryCaps] = [[primary, primary, filters, c.PrimaryChannels], [c.PrimaryChannels]],
            [DigitCaps] = [[c.Classes, c.PrimaryCapsuleCount, c.DigitCapsuleDim, c.PrimaryCapsuleDim]],
            [Decoder] = [[c.MaskedLength, hidden1], [hidden1], [hidden1, hidden2], [hidden2], [hidden2, c.PixelCount], [c.PixelCount]],
        };
    }

    /// <summary>
    /// The input and class shape the weights are for: channels from conv1's kernel, classes and input capsules from
    /// W, pixels from the decoder's output. Where a shape is missing or odd, MNIST's figure stands in, so that the
    /// check names the layer.
    /// </summary>
    public static CapsNetConfig Infer(IReadOnlyDictionary<string, KerasLayer> layers)
    {
        CapsNetConfig mnist = CapsNetConfig.Mnist;
        long[]? kernel = FirstShape(layers, Conv1);
        int channels = kernel is { Length: 4 } ? (int)kernel[2] : mnist.InputChannels;
        long[]? w = FirstShape(layers, DigitCaps);
        int classes = w is { Length: 4 } ? (int)w[0] : mnist.Classes;
        long? inputCapsules = w is { Length: 4 } ? w[1] : null;
        long? pixels = layers.TryGetValue(Decoder, out var decoder) && decoder.Weights.Count > 0 ? decoder.Weights[^1].Shape[0] : null;

        // Two input sides give each grid size (the stride-2 convolution rounds down): the decoder's output decides.
        int[] sides = Enumerable.Range(mnist.MinimumSide, CapsNetConfig.MaxSide - mnist.MinimumSide + 1).ToArray();
        int[] byCapsules = sides.Where(s => new CapsNetConfig(channels, s).PrimaryCapsuleCount == inputCapsules).Reverse().ToArray();
        int[] byPixels = sides.Where(s => (long)channels * s * s == pixels).ToArray();
        int side = byCapsules.Intersect(byPixels).Concat(byCapsules).Concat(byPixels).DefaultIfEmpty(mnist.InputSide).First();
        // capsulenet.py trains on MNIST; a file does not name its data set, so weights of another shape name none.
        bool mnistShaped = (channels, side, classes) == (mnist.InputChannels, mnist.InputSide, mnist.Classes);
        return new CapsNetConfig(channels, side, classes, Dataset: mnistShaped ? mnist.Dataset : "");
    }

    /// <summary>One phrase per layer that differs from <paramref name="config"/>'s CapsNet, in file order, then the missing ones.</summary>
    public static IEnumerable<string> Mismatches(IReadOnlyList<KerasLayer> layers, CapsNetConfig config)
    {
        Dictionary<string, long[][]> expected = Expected(config);
        foreach (KerasLayer layer in layers)
        {
            if (expected.TryGetValue(layer.Name, out long[][]? shapes))
            {
                if (!layer.Shapes.SequenceEqual(shapes, ShapeComparer.Instance))
                    yield return $"{layer.Name} has {Describe(layer.Shapes)} but CapsNet needs {Describe(shapes)}";
            }
            else if (layer.Weights.Count > 0 || !WeightlessLayer().IsMatch(layer.Name))
            {
                yield return $"unexpected layer {layer.Name}";
            }
        }
        foreach (string name in expected.Keys.Where(name => layers.All(layer => layer.Name != name)))
            yield return $"missing layer {name}";
    }

    // The training model's layers without weights; Keras numbers the ones capsulenet.py leaves unnamed.
    [GeneratedRegex(@"^(input(_\d+)?|primarycap_reshape|primarycap_squash|mask(_\d+)?|capsnet)$")]
    private static partial Regex WeightlessLayer();

    private static long[]? FirstShape(IReadOnlyDictionary<string, KerasLayer> layers, string name) =>
        layers.TryGetValue(name, out var layer) && layer.Weights.Count > 0 ? layer.Weights[0].Shape : null;

    private static string Describe(long[][] shapes) =>
        shapes.Length == 0 ? "no weights" : string.Join(", ", shapes.Select(shape => $"[{string.Join(", ", shape)}]"));

    private sealed class ShapeComparer : IEqualityComparer<long[]>
    {
        public static ShapeComparer Instance { get; } = new();

        public bool Equals(long[]? x, long[]? y) => x is not null && y is not null && x.SequenceEqual(y);

        public int GetHashCode(long[] shape) => shape.Length;
    }
}
