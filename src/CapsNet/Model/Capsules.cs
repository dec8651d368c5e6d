using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>The capsule non-linearity and the capsule length, with the reference's epsilon placement.</summary>
public static class Capsules
{
    public const double Epsilon = 1e-7;

    /// <summary>squash(s) = |s|^2 / (1 + |s|^2) / sqrt(|s|^2 + eps) * s, over the last axis.</summary>
    public static Tensor Squash(Tensor s)
    {
        using var scope = NewDisposeScope();
        Tensor squaredNorm = s.square().sum(-1, keepdim: true);
        Tensor scale = squaredNorm / (squaredNorm + 1) / (squaredNorm + Epsilon).sqrt();
        return (scale * s).MoveToOuterDisposeScope();
    }

    /// <summary>sqrt(|v|^2 + eps) over the last axis: [..., D] -> [...].</summary>
    public static Tensor Length(Tensor v)
    {
        using var scope = NewDisposeScope();
        return (v.square().sum(-1) + Epsilon).sqrt().MoveToOuterDisposeScope();
    }
}
