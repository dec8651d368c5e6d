using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Interop;

/// <summary>Keras' channels-last weights in PyTorch layout, named as <see cref="CapsuleNetwork"/>'s state dict.</summary>
internal static class KerasConversion
{
    /// <summary>
    /// The primary capsules need no reordering: Keras reshapes its NHWC convolution output to [-1, 8], which is
    /// what <see cref="PrimaryCapsules.Group"/> does with ours, and W has our layout [classes,inputs,16,8].
    /// </summary>
    public static Dictionary<string, Tensor> ToStateDict(IReadOnlyDictionary<string, KerasLayer> layers, CapsNetConfig config)
    {
        using var scope = NewDisposeScope();
        IReadOnlyList<KerasWeight> conv1 = layers[KerasArchitecture.Conv1].Weights;
        IReadOnlyList<KerasWeight> primary = layers[KerasArchitecture.PrimaryCaps].Weights;
        IReadOnlyList<KerasWeight> decoder = layers[KerasArchitecture.Decoder].Weights;  // in order, whatever their names
        var state = new Dictionary<string, Tensor>
        {
            ["conv1.weight"] = Kernel(conv1[0]),
            ["conv1.bias"] = Values(conv1[1]),
            ["primary_caps.weight"] = Kernel(primary[0]),
            ["primary_caps.bias"] = Values(primary[1]),
            ["digit_caps.weight"] = Values(layers[KerasArchitecture.DigitCaps].Weights[0]),
            ["decoder.0.weight"] = Dense(decoder[0]),
            ["decoder.0.bias"] = Values(decoder[1]),
            ["decoder.2.weight"] = Dense(decoder[2]),
            ["decoder.2.bias"] = Values(decoder[3]),
            ["decoder.4.weight"] = PixelsChannelsFirst(Dense(decoder[4]), config),
            ["decoder.4.bias"] = PixelsChannelsFirst(Values(decoder[5]), config),
        };
        return state.ToDictionary(entry => entry.Key, entry => entry.Value.contiguous().MoveToOuterDisposeScope());
    }

    private static Tensor Values(KerasWeight weight) => tensor(weight.Values(), weight.Shape);

    // [kh,kw,in,out] -> [out,in,kh,kw]
    private static Tensor Kernel(KerasWeight weight) => Values(weight).permute(3, 2, 0, 1);

    // [in,out] -> [out,in]
    private static Tensor Dense(KerasWeight weight) => Values(weight).t();

    /// <summary>
    /// Keras reshapes the decoder's output to an [H,W,C] image, ours to [C,H,W]: the output units [H*W*C, ...]
    /// are put in channel-first order. A no-op for one channel.
    /// </summary>
    private static Tensor PixelsChannelsFirst(Tensor units, CapsNetConfig config)
    {
        long[] rest = units.shape[1..];
        long[] perm = [2, 0, 1, .. Enumerable.Range(3, rest.Length).Select(i => (long)i)];
        return units.reshape([config.InputSide, config.InputSide, config.InputChannels, .. rest])
            .permute(perm)
            .reshape([config.PixelCount, .. rest]);
    }
}
