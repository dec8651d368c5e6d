using static CapsNet.HeldScalars;
using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>
/// The losses and metric of MultiMNIST (paper, section 6): K classes present in each image, given as labels
/// [B,K] int64 of distinct classes in any order. With K = 1 they are <see cref="CapsuleLoss"/>'s.
/// </summary>
internal static class MultiLabelLoss
{
    /// <summary>
    /// The margin loss with T_k = 1 for every present class: L = T max(0, 0.9 - |v|)^2 + 0.5 (1 - T) max(0, |v| - 0.1)^2,
    /// summed over classes, averaged over the batch. Lengths [B,classes].
    /// </summary>
    public static Tensor Margin(Tensor lengths, Tensor labels)
    {
        using var scope = NewDisposeScope();
        Tensor y = nn.functional.one_hot(labels, lengths.shape[1]).amax(1).to_type(lengths.dtype);  // [B,K,classes] -> [B,classes]
        Tensor present = CapsuleLoss.PositiveMargin.Minus(lengths).clamp_min(Zero).Squared();
        Tensor absent = (lengths - CapsuleLoss.NegativeMargin).clamp_min(Zero).Squared();
        Tensor perSample = (y * present).Plus(CapsuleLoss.DownWeight * One.Minus(y) * absent).sum(1);
        return perSample.mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The sum over the K digits of each reconstruction's mean squared error against its own target, each a mean over
    /// the pixels and the batch. Targets and reconstructions [B,K,...], the k-th of each sample belonging together.
    /// </summary>
    public static Tensor Reconstruction(Tensor targets, Tensor reconstructions)
    {
        using var scope = NewDisposeScope();
        Tensor perDigit = (reconstructions - targets).Squared().flatten(2).mean([0, 2]);  // [K]
        return perDigit.sum().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Samples whose K longest capsules are exactly the K true classes, in any order. Among equal lengths the lower
    /// class counts as the longer, as argmax picks the first maximum.
    /// </summary>
    public static long Correct(Tensor lengths, Tensor labels)
    {
        using var scope = NewDisposeScope();
        long k = labels.shape[1];
        Tensor predicted = lengths.sort(1, descending: true, stable: true).Indices[.., ..(int)k].sort(1).Values;
        Tensor expected = labels.sort(1).Values;
        return predicted.eq(expected).all(1).sum().item<long>();
    }
}
