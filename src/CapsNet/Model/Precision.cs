using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>
/// The dtype of the convolutions and matrix products. Weights, losses, squash and the routing softmax stay
/// in float32 either way.
/// </summary>
internal enum Precision
{
    Fp32,
    Bf16,
}

internal static class PrecisionExtensions
{
    public static ScalarType ComputeType(this Precision precision) =>
        precision == Precision.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>A bfloat16 tensor as float32, for the parts that stay exact; any other tensor as it is.</summary>
    public static Tensor Widened(this Tensor tensor) =>
        tensor.dtype == ScalarType.BFloat16 ? tensor.to_type(ScalarType.Float32) : tensor;
}
