using TorchSharp;
using static CapsNet.HeldScalars;
using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>The losses and metric of section 5 of the reference.</summary>
internal static class CapsuleLoss
{
    public static readonly Scalar PositiveMargin = 0.9.ToScalar();
    public static readonly Scalar NegativeMargin = 0.1.ToScalar();
    public static readonly Scalar DownWeight = 0.5.ToScalar();

    /// <summary>
    /// L = y max(0, 0.9 - |v|)^2 + 0.5 (1 - y) max(0, |v| - 0.1)^2, summed over classes, averaged over the batch.
    /// </summary>
    public static Tensor Margin(Tensor lengths, Tensor labels)
    {
        using var scope = NewDisposeScope();
        Tensor y = nn.functional.one_hot(labels, lengths.shape[1]).to_type(lengths.dtype);
        // Minus and Plus, not - and +: TorchSharp's would hand libtorch numbers that nothing holds (HeldScalars).
        Tensor present = PositiveMargin.Minus(lengths).clamp_min(Zero).Squared();
        Tensor absent = (lengths - NegativeMargin).clamp_min(Zero).Squared();
        Tensor perSample = (y * present).Plus(DownWeight * One.Minus(y) * absent).sum(1);
        return perSample.mean().MoveToOuterDisposeScope();
    }

    /// <summary>Mean squared error over every pixel of the batch.</summary>
    public static Tensor Reconstruction(Tensor images, Tensor reconstructions) =>
        nn.functional.mse_loss(reconstructions, images);

    /// <summary>margin + lamRecon * reconstruction.</summary>
    public static Tensor Total(Tensor margin, Tensor reconstruction, double lamRecon)
    {
        using var scope = NewDisposeScope();
        using Scalar weight = lamRecon.ToScalar();
        return margin.Plus(weight * reconstruction).MoveToOuterDisposeScope();
    }

    /// <summary>Number of samples whose longest capsule is the true class.</summary>
    public static long Correct(Tensor lengths, Tensor labels)
    {
        using var scope = NewDisposeScope();
        return lengths.argmax(1).eq(labels).sum().item<long>();
    }
}
