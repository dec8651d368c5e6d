using TorchSharp;
using static CapsNet.HeldScalars;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace CapsNet.Model;

/// <summary>
/// Routing by agreement (Sabour et al. 2017, procedure 1) of capsules u through weights W, as the reference
/// implements it: coupling logits start at zero on every call and gradients flow through every iteration.
/// </summary>
/// <remarks>
/// The first iteration's couplings are the uniform 1/J, so its s_j = sum_i W_ij u_i / J is one matrix product of u
/// with all weights, without predictions: one routing iteration computes no predictions at all. Later iterations
/// write the predictions u_hat once and read them once per product: the agreement v_j . u_hat_j|i and the weighted
/// sum sum_i c_ij u_hat_j|i (<see cref="Predictions"/>). The hand-written backward pass takes the same two products
/// (the gradient of an agreement is a weighted sum, and that of a weighted sum an agreement) and gathers every
/// gradient of u_hat into one product, written once; everything else it keeps is per capsule, not per prediction.
/// With bfloat16 inputs only the products with u and u_hat run in bfloat16: logits, softmax, squash and v stay in
/// float32.
/// </remarks>
internal sealed class DynamicRouting : SingleTensorFunction<DynamicRouting>
{
    public override string Name => nameof(DynamicRouting);

    /// <summary>
    /// Routes capsules <paramref name="u"/> [B,I,8] through <paramref name="weights"/> [I,8,J*16] (W_ij as row k,
    /// column j*16+d of block i) to <paramref name="parents"/> J parents: v [B,J,16] in float32. The predictions'
    /// layout is the fastest for the dtype unless <paramref name="layout"/> is given.
    /// </summary>
    public static Tensor Route(Tensor u, Tensor weights, int parents, int iterations, PredictionLayout? layout = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        return apply(u, weights, (long)parents, iterations, layout ?? PredictionLayouts.LayoutFor(u.dtype));
    }

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        Tensor u = (Tensor)vars[0], weights = (Tensor)vars[1];
        long parents = (long)vars[2];
        int iterations = (int)vars[3];
        var layout = (PredictionLayout)vars[4];

        using var noGrad = no_grad();
        Tensor s = UniformSum(u, weights, parents);  // [B,J,16]
        var sums = new List<Tensor> { s };  // s, the weighted sums before squash
        var outputs = new List<Tensor> { Capsules.Squash(s) };
        var couplings = new List<Tensor>();  // from the second iteration on
        Tensor values = empty(0, u.dtype, u.device);  // no predictions for one iteration
        if (iterations > 1)
        {
            Predictions predictions = PredictionLayouts.Of(u, weights, parents, layout);
            values = predictions.Values;
            Tensor logits = predictions.Agreement(outputs[0]);  // [B,J,I]
            for (int iteration = 1; iteration < iterations; iteration++)
            {
                Tensor coupling = logits.softmax(1);  // over the J parents
                s = predictions.WeightedSum(coupling);
                couplings.Add(coupling);
                sums.Add(s);
                outputs.Add(Capsules.Squash(s));
                if (iteration < iterations - 1)
                    logits = logits.Plus(predictions.Agreement(outputs[^1]));
            }
        }
        ctx.save_data("iterations", iterations);
        ctx.save_data("parents", parents);
        ctx.save_data("layout", layout);
        ctx.save_for_backward([u, weights, values, .. couplings, .. sums, .. outputs[..^1]]);
        return outputs[^1];
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int iterations = (int)ctx.get_data("iterations");
        long parents = (long)ctx.get_data("parents");
        using Scalar parentCount = parents.ToScalar();
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor u = saved[0], weights = saved[1];
        List<Tensor> couplings = saved.GetRange(3, iterations - 1);  // couplings[t - 1] is iteration t's
        List<Tensor> sums = saved.GetRange(2 + iterations, iterations);
        List<Tensor> outputs = saved.GetRange(2 + 2 * iterations, iterations - 1);
        var layout = (PredictionLayout)ctx.get_data("layout");
        Predictions? predictions = iterations > 1 ? PredictionLayouts.Saved(saved[2], parents, layout) : null;

        // d(u_hat) = sum over iterations of c_t (x) d(s_t), plus d(agreement_t) (x) v_t: gathered for one product.
        var left = new List<Tensor>();
        var right = new List<Tensor>();
        Tensor? gradLogits = null;  // d loss / d logits of the iteration after the current one
        Tensor gradS = null!;
        for (int t = iterations - 1; t >= 0; t--)
        {
            Tensor gradV = gradOutput;
            if (gradLogits is not null)
            {
                gradV = predictions!.WeightedSum(gradLogits);  // through agreement_t = v_t . u_hat
                left.Add(gradLogits);
                right.Add(outputs[t]);
            }
            gradS = SquashBackward(sums[t], gradV);  // [B,J,16]
            if (t == 0)
                break;  // the uniform couplings are constant: their gradient goes nowhere
            Tensor c = couplings[t - 1];
            left.Add(c);
            right.Add(gradS);
            Tensor gradCoupling = predictions!.Agreement(gradS);  // [B,J,I]
            // Softmax backward, c * (g - sum_j c g), as c g - c (sum_j c g): one fewer pass over the couplings.
            Tensor weighted = c * gradCoupling;
            Tensor gradFromSoftmax = weighted.addcmul_(c, weighted.sum(1, keepdim: true), value: MinusOne);
            gradLogits = gradLogits is null ? gradFromSoftmax : gradLogits.Plus(gradFromSoftmax);
        }
        Tensor gradU, gradWeights;
        if (predictions is null)
        {
            (gradU, gradWeights) = UniformSumBackward(u, weights, gradS / parentCount);
        }
        else
        {
            // The uniform couplings' term joins the others, 1/J moved to the right: exact in bfloat16, where 1/J is not.
            left.Add(ones_like(couplings[0]));
            right.Add(gradS / parentCount);
            (gradU, gradWeights) = predictions.Backward(u, weights, left, right);
        }
        return [gradU.MoveToOuterDisposeScope(), gradWeights.MoveToOuterDisposeScope(), null!, null!, null!];
    }

    /// <summary>s_j = sum_i W_ij u_i / J: [B,I*8] @ [I*8,J*16], then [B,J,16] in float32.</summary>
    private static Tensor UniformSum(Tensor u, Tensor weights, long parents)
    {
        using var scope = NewDisposeScope();
        long batch = u.shape[0];
        using Scalar parentCount = parents.ToScalar();
        Tensor sum = u.reshape(batch, -1).mm(weights.reshape(-1, weights.shape[2]));
        return sum.Widened().div_(parentCount).view(batch, parents, -1).MoveToOuterDisposeScope();
    }

    /// <summary>Gradients of u [B,I,8] and weights [I,8,J*16] for d s = <paramref name="gradSum"/> [B,J,16] of the uniform sum.</summary>
    private static (Tensor U, Tensor Weights) UniformSumBackward(Tensor u, Tensor weights, Tensor gradSum)
    {
        using var scope = NewDisposeScope();
        Tensor grad = gradSum.reshape(u.shape[0], -1).to_type(u.dtype);  // [B,J*16], already divided by J
        Tensor gradU = grad.mm(weights.reshape(-1, weights.shape[2]).t()).view_as(u);  // [B,I*8] -> [B,I,8]
        Tensor gradWeights = u.reshape(u.shape[0], -1).t().mm(grad).view_as(weights);  // [I*8,J*16] -> [I,8,J*16]
        return (gradU.MoveToOuterDisposeScope(), gradWeights.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Gradient of squash(s) = f(n) s, n = |s|^2, f = n / (1 + n) / sqrt(n + eps):
    /// ds = f dv + 2 f'(n) (dv . s) s, with f'(n) = (1/(1 + n) - n / (2 (n + eps))) / ((1 + n) sqrt(n + eps)).
    /// </summary>
    private static Tensor SquashBackward(Tensor s, Tensor gradV)
    {
        Tensor n = s.Squared().sum(-1, keepdim: true);
        Tensor onePlusN = n.Plus(One);
        Tensor nPlusEpsilon = n.Plus(Capsules.HeldEpsilon);
        Tensor root = nPlusEpsilon.sqrt();
        Tensor f = n / onePlusN / root;
        Tensor fPrime = (onePlusN.reciprocal() - n / (Two * nPlusEpsilon)) / (onePlusN * root);
        return (f * gradV).Plus(Two * fPrime * (gradV * s).sum(-1, keepdim: true) * s);
    }
}
