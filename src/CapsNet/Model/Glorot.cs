using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>Keras' glorot_uniform: U(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)).</summary>
public static class Glorot
{
    public static double Limit(long fanIn, long fanOut) => Math.Sqrt(6.0 / (fanIn + fanOut));

    public static void Uniform(Tensor weight, long fanIn, long fanOut)
    {
        double limit = Limit(fanIn, fanOut);
        using var noGrad = no_grad();
        nn.init.uniform_(weight, -limit, limit);
    }
}
