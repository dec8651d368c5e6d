using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace CapsNet.Model;

/// <summary>
/// Routing by agreement (Sabour et al. 2017, procedure 1), as the reference implements it: coupling logits
/// start at zero on every call and gradients flow through every iteration.
/// </summary>
/// <remarks>
/// Autograd would write one u_hat-sized gradient per use of u_hat (2R-1 of them) and add them up. The
/// hand-written backward pass instead gathers every term into one batched product, so the gradient of u_hat is
/// written once; everything else it keeps is per capsule, not per prediction.
/// With bfloat16 predictions only the products with u_hat run in bfloat16: logits, softmax, squash and v
/// stay in float32.
/// </remarks>
internal sealed class DynamicRouting : SingleTensorFunction<DynamicRouting>
{
    public override string Name => nameof(DynamicRouting);

    /// <summary>Routes predictions <paramref name="uHat"/> [B,J,I,D] of I input capsules for J parents: v [B,J,D].</summary>
    public static Tensor Route(Tensor uHat, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        return apply(uHat, iterations);
    }

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        Tensor uHat = (Tensor)vars[0];
        int iterations = (int)vars[1];
        long batch = uHat.shape[0], parents = uHat.shape[1], inputs = uHat.shape[2], dim = uHat.shape[3];
        long pairs = batch * parents;

        using var noGrad = no_grad();
        Tensor predictions = uHat.reshape(pairs, inputs, dim).contiguous();  // one [I,D] matrix per (b, j)
        Tensor? logits = null;  // zero until the first agreement, so the first couplings are uniform
        var couplings = new List<Tensor>();
        var sums = new List<Tensor>();  // s, the weighted sums before squash
        var outputs = new List<Tensor>();
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            Tensor coupling = logits?.softmax(1)  // over the J parents
                ?? full([batch, parents, inputs], 1.0 / parents, predictions.Widened().dtype, uHat.device);
            Tensor s = Product(coupling.reshape(pairs, 1, inputs), predictions);  // [B*J,1,D]
            Tensor v = Capsules.Squash(s);
            couplings.Add(coupling);
            sums.Add(s);
            outputs.Add(v);
            if (iteration < iterations - 1)
            {
                Tensor agreement = Product(v, predictions.transpose(1, 2)).view(batch, parents, inputs);  // v.u_hat
                logits = logits is null ? agreement : logits + agreement;
            }
        }
        ctx.save_data("iterations", iterations);
        ctx.save_for_backward([predictions, .. couplings, .. sums, .. outputs[..^1]]);
        return outputs[^1].view(batch, parents, dim);
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int iterations = (int)ctx.get_data("iterations");
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor predictions = saved[0];
        List<Tensor> couplings = saved.GetRange(1, iterations);
        List<Tensor> sums = saved.GetRange(1 + iterations, iterations);
        List<Tensor> outputs = saved.GetRange(1 + 2 * iterations, iterations - 1);
        long pairs = predictions.shape[0], inputs = predictions.shape[1], dim = predictions.shape[2];
        long parents = gradOutput.shape[1], batch = gradOutput.shape[0];

        // d(u_hat) = sum over iterations of c_t (x) d(s_t), plus d(agreement_t) (x) v_t: gathered as [I,K] @ [K,D].
        // The K coefficient rows are stacked as [K,I] per pair: appending whole rows is a plain copy, where
        // building [I,K] directly would interleave them element by element.
        var left = new List<Tensor>();
        var right = new List<Tensor>();
        Tensor? gradLogits = null;  // d loss / d logits of the iteration after the current one
        for (int t = iterations - 1; t >= 0; t--)
        {
            Tensor gradV;
            if (gradLogits is null)
            {
                gradV = gradOutput.reshape(pairs, 1, dim);
            }
            else
            {
                Tensor gradAgreement = gradLogits.reshape(pairs, 1, inputs);
                gradV = Product(gradAgreement, predictions);
                left.Add(gradAgreement);
                right.Add(outputs[t]);
            }
            Tensor gradS = SquashBackward(sums[t], gradV);  // [B*J,1,D]
            left.Add(couplings[t].reshape(pairs, 1, inputs));
            right.Add(gradS);

            if (t == 0)
                break;  // the first logits are constant zeros: their gradient goes nowhere
            Tensor gradCoupling = Product(gradS, predictions.transpose(1, 2)).view(batch, parents, inputs);
            // Softmax backward, c * (g - sum_j c g), as c g - c (sum_j c g): one fewer pass over the couplings.
            Tensor c = couplings[t];
            Tensor weighted = c * gradCoupling;
            Tensor gradFromSoftmax = weighted.addcmul_(c, weighted.sum(1, keepdim: true), value: -1);
            gradLogits = gradLogits is null ? gradFromSoftmax : gradLogits + gradFromSoftmax;
        }
        ScalarType low = predictions.dtype;
        Tensor gradPredictions = cat(left, 1).to_type(low).transpose(1, 2).bmm(cat(right, 1).to_type(low));  // [B*J,I,D], written once
        return [gradPredictions.view(batch, parents, inputs, dim).MoveToOuterDisposeScope(), null!];
    }

    /// <summary>A batched product with u_hat, in u_hat's dtype; the result widened back for the exact parts.</summary>
    private static Tensor Product(Tensor a, Tensor b) =>
        a.dtype == b.dtype ? a.bmm(b) : a.to_type(b.dtype).bmm(b).Widened();

    /// <summary>
    /// Gradient of squash(s) = f(n) s, n = |s|^2, f = n / (1 + n) / sqrt(n + eps):
    /// ds = f dv + 2 f'(n) (dv . s) s, with f'(n) = (1/(1 + n) - n / (2 (n + eps))) / ((1 + n) sqrt(n + eps)).
    /// </summary>
    private static Tensor SquashBackward(Tensor s, Tensor gradV)
    {
        Tensor n = s.square().sum(-1, keepdim: true);
        Tensor root = (n + Capsules.Epsilon).sqrt();
        Tensor f = n / (n + 1) / root;
        Tensor fPrime = (1 / (n + 1) - n / (2 * (n + Capsules.Epsilon))) / ((n + 1) * root);
        return f * gradV + 2 * fPrime * (gradV * s).sum(-1, keepdim: true) * s;
    }
}
