using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>
/// Chooses and builds a <see cref="Predictions"/> layout; kept apart from the base class so that it does not
/// know its own subclasses.
/// </summary>
internal static class PredictionLayouts
{
    /// <summary>bfloat16 predictions by image, any other dtype by pair (docs/performance.md; GPUs were not measured).</summary>
    public static PredictionLayout LayoutFor(ScalarType dtype) =>
        dtype == ScalarType.BFloat16 ? PredictionLayout.ByImage : PredictionLayout.ByPair;

    /// <summary>
    /// The predictions of capsules <paramref name="u"/> [B,I,8] through <paramref name="weights"/> [I,8,J*16]
    /// (W_ij as row k, column j*16+d of block i): one matrix product per input capsule, then laid out.
    /// </summary>
    public static Predictions Of(Tensor u, Tensor weights, long parents, PredictionLayout layout)
    {
        using var scope = NewDisposeScope();
        long batch = u.shape[0], inputs = u.shape[1], dim = weights.shape[2] / parents;
        Tensor inputMajor = u.transpose(0, 1).bmm(weights);  // [I,B,J*16]
        // Copied into the layout (contiguous): matrix-vector products over strided rows take twice as long.
        Tensor values = layout == PredictionLayout.ByImage
            ? inputMajor.transpose(0, 1).contiguous()  // [B,I,J*16]: rows of J*16 moved whole
            : inputMajor.view(inputs, batch, parents, dim).permute(1, 2, 0, 3).contiguous().view(-1, inputs, dim);  // [B*J,I,16]
        return Saved(values.MoveToOuterDisposeScope(), parents, layout);
    }

    /// <summary>Predictions kept from <see cref="Of"/> as their <see cref="Predictions.Values"/>.</summary>
    public static Predictions Saved(Tensor values, long parents, PredictionLayout layout) =>
        layout == PredictionLayout.ByImage ? new PredictionsByImage(values, parents) : new PredictionsByPair(values, parents);
}
