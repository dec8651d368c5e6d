using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>
/// A 9x9 stride-2 convolution whose output channels are cut into capsules of <c>CapsuleDim</c> consecutive
/// channels at each grid position, then squashed. No activation before the squash.
/// </summary>
public sealed class PrimaryCapsules : nn.Module<Tensor, Tensor>
{
    public const int CapsuleDim = 8;
    public const int Channels = 256;
    public const int Kernel = 9;
    public const int Stride = 2;

    // Named as TorchSharp registers (and re-registers on a device move) them: the PyTorch state-dict names.
    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;
    [ComponentName(Name = "bias")]
    private readonly Parameter _bias;

    public PrimaryCapsules(int inChannels, Generator? generator)
        : base("primary_caps")
    {
        _weight = new Parameter(empty(Channels, inChannels, Kernel, Kernel));
        _bias = new Parameter(zeros(Channels));
        Glorot.Uniform(_weight, fanIn: inChannels * Kernel * Kernel, fanOut: Channels * Kernel * Kernel, generator);
        RegisterComponents();
    }

    /// <summary>Output side of the capsule grid for an input of side <paramref name="inputSide"/>.</summary>
    public static int GridSide(int inputSide) => (inputSide - Kernel) / Stride + 1;

    public static int CapsuleCount(int inputSide) => GridSide(inputSide) * GridSide(inputSide) * Channels / CapsuleDim;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // Convolves in the input's dtype; squashes in float32. In bfloat16 on the CPU the gradients are unfolded
        // matrix products, faster there than libtorch's convolution backward; in float32 they are slower (README,
        // Performance). GPUs were not measured.
        Tensor weight = _weight.to_type(x.dtype), bias = _bias.to_type(x.dtype);
        Tensor conv = x.dtype == ScalarType.BFloat16 && x.device_type == DeviceType.CPU  // [B,256,6,6]
            ? UnfoldedConvolution.Apply(x, weight, bias, Stride)
            : nn.functional.conv2d(x, weight, bias, strides: [Stride, Stride]);
        return Capsules.Squash(Group(conv).Widened()).MoveToOuterDisposeScope();  // [B,1152,8]
    }

    /// <summary>
    /// Cuts a convolution output [B,C,H,W] into capsules [B,H*W*C/8,8] as Keras' NHWC reshape does:
    /// capsule k = (row*W + col)*(C/8) + channel/8, component = channel % 8.
    /// </summary>
    public static Tensor Group(Tensor conv) => conv.permute(0, 2, 3, 1).reshape(conv.shape[0], -1, CapsuleDim);
}
