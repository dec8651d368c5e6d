using TorchSharp;
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

/// <summary>The values of <c>--precision</c>: a precision, or auto, which <see cref="ChosenPrecision"/> settles per machine.</summary>
internal enum PrecisionChoice
{
    Auto,
    Fp32,
    Bf16,
}

/// <summary>The precision a run computes in, and why, for the line that says so.</summary>
internal sealed record ChosenPrecision(Precision Precision, string Reason)
{
    /// <summary>
    /// Auto is bf16 where the processor multiplies bfloat16 natively: there a step takes half the time, and 50 epochs
    /// of the reference's run ended within the reference's own spread of fp32's test error (docs/results.md).
    /// Elsewhere libtorch emulates bfloat16 and is slower than fp32; on CUDA bf16 has not been measured here, so it is
    /// used only when asked.
    /// </summary>
    /// <param name="nativeBf16">The processor's native bfloat16 instructions (<c>Native.Processor.NativeBf16</c>), or null.</param>
    public static ChosenPrecision Choose(PrecisionChoice choice, Device device, string? nativeBf16) => choice switch
    {
        PrecisionChoice.Fp32 => new(Precision.Fp32, "as asked"),
        PrecisionChoice.Bf16 => new(Precision.Bf16, "as asked"),
        _ when device.type != DeviceType.CPU => new(Precision.Fp32, "auto: bf16 on CUDA only when asked"),
        _ when nativeBf16 is not null => new(Precision.Bf16, $"auto: this processor multiplies bfloat16 natively, {nativeBf16}"),
        _ => new(Precision.Fp32, "auto: this processor has no native bfloat16 products"),
    };

    /// <summary>"bf16 (auto: this processor multiplies bfloat16 natively, AVX512_BF16)".</summary>
    public override string ToString() => $"{Precision.ToString().ToLowerInvariant()} ({Reason})";
}

internal static class PrecisionExtensions
{
    public static ScalarType ComputeType(this Precision precision) =>
        precision == Precision.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>A bfloat16 tensor as float32, for the parts that stay exact; any other tensor as it is.</summary>
    public static Tensor Widened(this Tensor tensor) =>
        tensor.dtype == ScalarType.BFloat16 ? tensor.to_type(ScalarType.Float32) : tensor;
}
