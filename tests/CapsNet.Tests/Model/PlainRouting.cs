using CapsNet.Model;
using static CapsNet.HeldScalars;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

/// <summary>
/// Digit capsules and routing written plainly, independent of the code under test: u_hat = W u by broadcasting,
/// then procedure 1 with broadcast products, differentiated by torch autograd.
/// </summary>
internal static class PlainRouting
{
    /// <summary>
    /// Capsules <paramref name="u"/> [B,I,K] through <paramref name="w"/> [J,I,D,K] (the parameter's layout):
    /// v [B,J,D] after <paramref name="iterations"/> iterations, in the inputs' dtype.
    /// </summary>
    public static Tensor Route(Tensor u, Tensor w, int iterations)
    {
        long batch = u.shape[0], parents = w.shape[0], inputs = w.shape[1];
        Tensor uHat = (w.unsqueeze(0) * u.view(batch, 1, inputs, 1, -1)).sum(-1);  // [B,J,I,D]
        Tensor logits = zeros([batch, parents, inputs], u.dtype);
        Tensor v = null!;
        for (int it = 0; it < iterations; it++)
        {
            Tensor c = logits.softmax(1);
            Tensor s = (c.unsqueeze(-1) * uHat).sum(2);
            Tensor n2 = s.Squared().sum(-1, keepdim: true);
            v = n2 / n2.Plus(One) / n2.Plus(Capsules.HeldEpsilon).sqrt() * s;
            if (it < iterations - 1)
                logits = logits.Plus((v.unsqueeze(2) * uHat).sum(-1));
        }
        return v;
    }

    /// <summary>W [J,I,D,K] as the routing takes it, as DigitCapsules passes it: [I,K,J*D], W_ij in block i.</summary>
    public static Tensor PerInput(Tensor w) =>
        w.permute(1, 3, 0, 2).reshape(w.shape[1], w.shape[3], w.shape[0] * w.shape[2]);

    /// <summary>
    /// v, d u and d W of the loss sum(v * <paramref name="weights"/>) through <paramref name="route"/>, which maps
    /// (u, W) to v; the gradients are taken in the dtypes of <paramref name="u"/> and <paramref name="w"/>.
    /// </summary>
    public static (Tensor V, Tensor GradU, Tensor GradW) Gradients(Func<Tensor, Tensor, Tensor> route, Tensor u, Tensor w, Tensor weights)
    {
        using var uLeaf = u.detach().clone().requires_grad_();
        using var wLeaf = w.detach().clone().requires_grad_();
        Tensor v = route(uLeaf, wLeaf);
        (v.to_type(weights.dtype) * weights).sum().backward();
        return (v.detach(), uLeaf.grad!.detach().clone(), wLeaf.grad!.detach().clone());
    }
}
