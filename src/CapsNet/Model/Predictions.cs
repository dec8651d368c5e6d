using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>How the predictions u_hat are laid out in memory; each layout has its own fastest products.</summary>
internal enum PredictionLayout
{
    /// <summary>One [I,16] matrix per (image, parent): [B*J,I,16]. Products are matrix-vector, fast in float32.</summary>
    ByPair,

    /// <summary>
    /// One [I,J*16] matrix per image: [B,I,J*16]. Products cover all J parents at once (J times the arithmetic of
    /// the parent's own block, kept by taking the diagonal blocks), fast in bfloat16, where the matrix-vector
    /// products are not.
    /// </summary>
    ByImage,
}

/// <summary>
/// The predictions u_hat_j|i = W_ij u_i of I input capsules for J parents (Sabour et al. 2017, eq. 2), written
/// once, and the two products routing takes with them: the agreement v_j . u_hat_j|i and the weighted sum
/// sum_i c_ij u_hat_j|i. Results are float32 (or the predictions' dtype if wider).
/// </summary>
internal abstract class Predictions
{
    protected Predictions(Tensor values, long parents)
    {
        Values = values;
        Parents = parents;
    }

    /// <summary>The predictions in this layout's shape.</summary>
    public Tensor Values { get; }

    public long Parents { get; }

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

    /// <summary>Predictions kept from <see cref="Of"/> as their <see cref="Values"/>.</summary>
    public static Predictions Saved(Tensor values, long parents, PredictionLayout layout) =>
        layout == PredictionLayout.ByImage ? new PredictionsByImage(values, parents) : new PredictionsByPair(values, parents);

    /// <summary>a_ij = v_j . u_hat_j|i for v [B,J,16]: [B,J,I].</summary>
    public abstract Tensor Agreement(Tensor v);

    /// <summary>s_j = sum_i c_ij u_hat_j|i for c [B,J,I]: [B,J,16].</summary>
    public abstract Tensor WeightedSum(Tensor c);

    /// <summary>
    /// Gradients of u [B,I,8] and of the weights [I,8,J*16] for d u_hat_j|i = sum_t left_t[b,j,i] right_t[b,j,:],
    /// with left_t [B,J,I] and right_t [B,J,16]: d u_hat is written once, in the products' input-major layout.
    /// </summary>
    public (Tensor U, Tensor Weights) Backward(Tensor u, Tensor weights, IReadOnlyList<Tensor> left, IReadOnlyList<Tensor> right)
    {
        using var scope = NewDisposeScope();
        Tensor gradient = InputMajorGradient(left, right);  // [I,B,J*16]
        Tensor gradWeights = u.permute(1, 2, 0).bmm(gradient);  // [I,8,B] @ [I,B,J*16]
        Tensor gradU = gradient.bmm(weights.transpose(1, 2)).transpose(0, 1);  // [I,B,8] -> [B,I,8]
        return (gradU.MoveToOuterDisposeScope(), gradWeights.MoveToOuterDisposeScope());
    }

    /// <summary>sum_t left_t (x) right_t, as <see cref="Backward"/> describes, laid out [I,B,J*16].</summary>
    protected abstract Tensor InputMajorGradient(IReadOnlyList<Tensor> left, IReadOnlyList<Tensor> right);
}
