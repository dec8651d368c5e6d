using CapsNet.Model;
using CapsNet.Native;
using TorchSharp;
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

    [Fact]
    public void AutoIsBf16OnlyOnAProcessorThatMultipliesBfloat16Natively()
    {
        var cpu = new Device(DeviceType.CPU);

        Assert.Equal(new ChosenPrecision(Precision.Bf16, "auto: this processor multiplies bfloat16 natively, AVX512_BF16"),
            ChosenPrecision.Choose(PrecisionChoice.Auto, cpu, "AVX512_BF16"));
        Assert.Equal(new ChosenPrecision(Precision.Fp32, "auto: this processor has no native bfloat16 products"),
            ChosenPrecision.Choose(PrecisionChoice.Auto, cpu, nativeBf16: null));
    }

    [Fact]
    public void AutoIsFp32OnCudaAndWhatIsAskedForIsTaken()
    {
        var cuda = new Device(DeviceType.CUDA);
        var cpu = new Device(DeviceType.CPU);

        Assert.Equal(new ChosenPrecision(Precision.Fp32, "auto: bf16 on CUDA only when asked"),
            ChosenPrecision.Choose(PrecisionChoice.Auto, cuda, "AVX512_BF16"));
        Assert.Equal(new ChosenPrecision(Precision.Bf16, "as asked"), ChosenPrecision.Choose(PrecisionChoice.Bf16, cpu, nativeBf16: null));
        Assert.Equal(new ChosenPrecision(Precision.Bf16, "as asked"), ChosenPrecision.Choose(PrecisionChoice.Bf16, cuda, nativeBf16: null));
        Assert.Equal(new ChosenPrecision(Precision.Fp32, "as asked"), ChosenPrecision.Choose(PrecisionChoice.Fp32, cpu, "AVX512_BF16"));
        Assert.Equal("bf16 (as asked)", new ChosenPrecision(Precision.Bf16, "as asked").ToString());
    }

    [Fact]
    public void TheProcessorsNativeBf16IsWhatTheKernelReports()
    {
        // CPUID read by the program against the flags Linux lists: two readings of the same bits by different code.
        Assert.True(OperatingSystem.IsLinux(), "this test reads /proc/cpuinfo");
        string[] flags = File.ReadLines("/proc/cpuinfo").First(line => line.StartsWith("flags", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        bool avx512f = flags.Contains("avx512f");
        bool avx512Bf16 = avx512f && flags.Contains("avx512_bf16");
        bool amx = avx512f && flags.Contains("amx_bf16") && flags.Contains("amx_tile");

        string? expected = (avx512Bf16, amx) switch
        {
            (true, true) => "AVX512_BF16 and AMX-BF16",
            (true, false) => "AVX512_BF16",
            (false, true) => "AMX-BF16",
            _ => null,
        };
        Assert.Equal(expected, Processor.NativeBf16);
    }
}
