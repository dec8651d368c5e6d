using TorchSharp;
using static CapsNet.HeldScalars;
using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>The capsule non-linearity and the capsule length, with the reference's epsilon placement.</summary>
internal static class Capsules
{
    public const double Epsilon = 1e-7;

    /// <summary>
    /// Keeps the length's gradient finite at v = 0. Not the reference's 1e-7 (tf2.2 branch): at Glorot
    /// initialisation |v| is about 1e-7, so sqrt(|v|^2 + 1e-7) ~ 3e-4 flattens the gradient by ~1e-3, below
    /// Adam's epsilon, and the margin loss never starts to fall. The master branch, which produced the
    /// published results, has no epsilon here at all.
    /// </summary>
    public const double LengthEpsilon = 1e-14;

    /// <summary>The two epsilons as libtorch reads them, held for the process (see <see cref="HeldScalars"/>).</summary>
    public static readonly Scalar HeldEpsilon = Epsilon.ToScalar();
    private static readonly Scalar HeldLengthEpsilon = LengthEpsilon.ToScalar();

    /// <summary>squash(s) = |s|^2 / (1 + |s|^2) / sqrt(|s|^2 + eps) * s, over the last axis.</summary>
    public static Tensor Squash(Tensor s)
    {
        using var scope = NewDisposeScope();
        // Plus, not +: TorchSharp's + hands libtorch an alpha = 1 that nothing holds (HeldScalars).
        Tensor squaredNorm = s.Squared().sum(-1, keepdim: true);
        Tensor scale = squaredNorm / squaredNorm.Plus(One) / squaredNorm.Plus(HeldEpsilon).sqrt();
        return (scale * s).MoveToOuterDisposeScope();
    }

    /// <summary>sqrt(|v|^2 + 1e-14) over the last axis: [..., D] -> [...].</summary>
    public static Tensor Length(Tensor v)
    {
        using var scope = NewDisposeScope();
        return v.Squared().sum(-1).Plus(HeldLengthEpsilon).sqrt().MoveToOuterDisposeScope();
    }
}
