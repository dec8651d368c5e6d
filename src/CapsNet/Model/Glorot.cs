using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>Keras' glorot_uniform: U(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)).</summary>
internal static class Glorot
{
    public static double Limit(long fanIn, long fanOut) => Math.Sqrt(6.0 / (fanIn + fanOut));

    public static void Uniform(Tensor weight, long fanIn, long fanOut, Generator? generator)
    {
        double limit = Limit(fanIn, fanOut);
        using var noGrad = no_grad();
        // Tensor.uniform_, not nn.init.uniform_: TorchSharp 0.107's nn.init.uniform_ ignores the generator.
        weight.uniform_(-limit, limit, generator);
    }
}
