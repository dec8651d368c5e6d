using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>
/// A 9x9 stride-2 convolution (the config's sizes) whose output channels are cut into capsules of 8 consecutive
/// channels at each grid position, then squashed. No activation before the squash.
/// </summary>
internal sealed class PrimaryCapsules : nn.Module<Tensor, Tensor>
{
    // Named as TorchSharp registers (and re-registers on a device move) them: the PyTorch state-dict names.
    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;
    [ComponentName(Name = "bias")]
    private readonly Parameter _bias;
    private readonly int _stride;
    private readonly int _capsuleDim;

    public PrimaryCapsules(CapsNetConfig config, Generator? generator)
        : base("primary_caps")
    {
        int inChannels = config.Conv1Channels, outChannels = config.PrimaryChannels, kernel = config.PrimaryKernel;
        _stride = config.PrimaryStride;
        _capsuleDim = config.PrimaryCapsuleDim;
        _weight = new Parameter(empty(outChannels, inChannels, kernel, kernel));
        _bias = new Parameter(zeros(outChannels));
        Glorot.Uniform(_weight, fanIn: inChannels * kernel * kernel, fanOut: outChannels * kernel * kernel, generator);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // Convolves in the input's dtype; squashes in float32. In bfloat16 on the CPU the gradients are unfolded
        // matrix products, faster there than libtorch's convolution backward; in float32 they are slower
        // (docs/performance.md). GPUs were not measured.
        Tensor weight = _weight.to_type(x.dtype), bias = _bias.to_type(x.dtype);
        Tensor conv = x.dtype == ScalarType.BFloat16 && x.device_type == DeviceType.CPU  // [B,256,6,6]
            ? UnfoldedConvolution.Apply(x, weight, bias, _stride)
            : nn.functional.conv2d(x, weight, bias, strides: [_stride, _stride]);
        return Capsules.Squash(Group(conv, _capsuleDim).Widened()).MoveToOuterDisposeScope();  // [B,1152,8]
    }

    /// <summary>
    /// Cuts a convolution output [B,C,H,W] into capsules [B,H*W*C/D,D] of D = <paramref name="capsuleDim"/> as
    /// Keras' NHWC reshape does: capsule k = (row*W + col)*(C/D) + channel/D, component = channel % D.
    /// </summary>
    public static Tensor Group(Tensor conv, int capsuleDim) => conv.permute(0, 2, 3, 1).reshape(conv.shape[0], -1, capsuleDim);
}
