using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>Routing by agreement (Sabour et al. 2017, procedure 1), as the reference implements it.</summary>
public static class DynamicRouting
{
    /// <summary>
    /// Routes predictions <paramref name="uHat"/> [B,J,I,D] of I input capsules for J parents and returns the
    /// parent capsules v [B,J,D]. Coupling logits start at zero on every call; gradients flow through every
    /// iteration. Works on (B*J) matrix products so nothing larger than uHat is ever built.
    /// </summary>
    public static Tensor Route(Tensor uHat, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        using var scope = NewDisposeScope();
        long batch = uHat.shape[0], parents = uHat.shape[1], inputs = uHat.shape[2], dim = uHat.shape[3];
        Tensor predictions = uHat.reshape(batch * parents, inputs, dim);  // [B*J,I,D], a view for DigitCapsules' layout
        Tensor logits = zeros([batch, parents, inputs], uHat.dtype, uHat.device);
        Tensor v = null!;
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            Tensor coupling = logits.softmax(1);  // over the J parents
            Tensor s = coupling.reshape(batch * parents, 1, inputs).bmm(predictions);  // [B*J,1,D]
            v = Capsules.Squash(s);
            if (iteration < iterations - 1)
                logits = logits + predictions.bmm(v.transpose(1, 2)).view(batch, parents, inputs);  // agreement v.u_hat
        }
        return v.view(batch, parents, dim).MoveToOuterDisposeScope();
    }
}
