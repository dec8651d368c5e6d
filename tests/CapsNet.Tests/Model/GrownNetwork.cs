using CapsNet.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

/// <summary>
/// A seeded network whose weights are scaled up to look trained, for the tests of how the pieces are joined.
/// At Glorot initialisation the digit capsules are about 1e-7 long: the routing agreements are then nil, so
/// one routing iteration gives the same output as three, and the decoder's input is nearly zero whichever
/// capsule the mask keeps. Scaled, the capsules are 0.5-0.9 long and both choices show in the outputs.
/// </summary>
internal static class GrownNetwork
{
    public static readonly Scalar DigitCapsScale = 3000.0.ToScalar();
    public static readonly Scalar DecoderScale = 3.0.ToScalar();

    public static CapsuleNetwork Build(int routings = 3, int seed = 1)
    {
        var model = new CapsuleNetwork(CapsNetConfig.Mnist with { Routings = routings }, new Generator((ulong)seed));
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name == "digit_caps.weight")
                parameter.mul_(DigitCapsScale);
            else if (name.StartsWith("decoder.") && name.EndsWith(".weight"))
                parameter.mul_(DecoderScale);
        }
        return model;
    }

    public static Tensor Parameter(CapsuleNetwork model, string name) =>
        model.named_parameters().Single(p => p.name == name).parameter;
}
