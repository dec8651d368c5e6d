using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

public sealed class PrecisionTests
{
    [Fact]
    public void Bf16ComputesInBfloat16AndFp32InFloat32()
    {
        // The bf16-versus-fp32 closeness test would also pass if --precision bf16 quietly computed in float32.
        Assert.Equal(ScalarType.BFloat16, Precision.Bf16.ComputeType());
        Assert.Equal(ScalarType.Float32, Precision.Fp32.ComputeType());
    }

    [Fact]
    public void WidenedTurnsOnlyBfloat16IntoFloat32()
    {
        using var half = ones(2, dtype: ScalarType.BFloat16);
        using var single = ones(2);
        using var doubled = ones(2, dtype: ScalarType.Float64);

        Assert.Equal(ScalarType.Float32, half.Widened().dtype);
        Assert.Same(single, single.Widened());
        Assert.Same(doubled, doubled.Widened());
    }
}
