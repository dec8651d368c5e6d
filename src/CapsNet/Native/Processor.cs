using System.Runtime.Intrinsics.X86;

namespace CapsNet.Native;

/// <summary>What the processor this program runs on can do, read at run time: one build runs on many machines.</summary>
internal static class Processor
{
    /// <summary>
    /// The instructions by which this processor multiplies bfloat16 natively, as CPUID names them ("AVX512_BF16",
    /// "AMX-BF16", or both), or null: then libtorch emulates bfloat16 products in float32.
    /// </summary>
    public static string? NativeBf16 { get; } = DetectNativeBf16();

    private static string? DetectNativeBf16()
    {
        // Avx512F.IsSupported also says that the operating system saves the 512-bit registers; leaf 7 exists then.
        if (!Avx512F.IsSupported)
            return null;
        const int Avx512Bf16 = 1 << 5, AmxBf16 = 1 << 22, AmxTile = 1 << 24;  // leaf 7: sub-leaf 1 EAX; sub-leaf 0 EDX
        (int lastSubLeaf, _, _, int features0) = X86Base.CpuId(7, 0);
        int features1 = lastSubLeaf >= 1 ? X86Base.CpuId(7, 1).Eax : 0;
        bool avx512 = (features1 & Avx512Bf16) != 0, amx = (features0 & (AmxBf16 | AmxTile)) == (AmxBf16 | AmxTile);
        return (avx512, amx) switch
        {
            (true, true) => "AVX512_BF16 and AMX-BF16",
            (true, false) => "AVX512_BF16",
            (false, true) => "AMX-BF16",
            _ => null,
        };
    }
}
