using static TorchSharp.torch;

namespace CapsNet.Model;

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
