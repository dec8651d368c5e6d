using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>
/// One capsule per class. Every (class j, input capsule i) pair has its own 16x8 matrix W[j,i]; predictions
/// u_hat = W[j,i] u_i are routed by agreement. No bias.
/// </summary>
public sealed class DigitCapsules : nn.Module<Tensor, Tensor>
{
    public const int CapsuleDim = 16;

    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;
    private readonly int _routings;

    public DigitCapsules(int inputCapsules, int inputDim, int classes, int routings, Generator? generator)
        : base("digit_caps")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(routings, 1);
        _routings = routings;
        _weight = new Parameter(empty(classes, inputCapsules, CapsuleDim, inputDim));  // [10,1152,16,8]
        // Keras treats W as a kernel whose receptive field is classes*inputCapsules.
        long receptiveField = (long)classes * inputCapsules;
        Glorot.Uniform(_weight, fanIn: CapsuleDim * receptiveField, fanOut: inputDim * receptiveField, generator);
        RegisterComponents();
    }

    /// <summary>Capsules u [B,I,8] -> v [B,J,16]: predictions in u's dtype, v in float32.</summary>
    public override Tensor forward(Tensor u)
    {
        using var scope = NewDisposeScope();
        long batch = u.shape[0];
        long classes = _weight.shape[0], inputs = _weight.shape[1], inputDim = _weight.shape[3];
        // One matrix product per input capsule i, over the whole batch: [I,B,8] @ [I,8,J*16] -> [I,B,J*16].
        Tensor perInput = _weight.to_type(u.dtype).permute(1, 3, 0, 2).reshape(inputs, inputDim, classes * CapsuleDim);
        // Made contiguous once: routing multiplies each [I,16] block 2R-1 times, and strided blocks are slower.
        Tensor uHat = u.transpose(0, 1).bmm(perInput)
            .view(inputs, batch, classes, CapsuleDim)
            .permute(1, 2, 0, 3)
            .contiguous();  // [B,J,I,16]
        return DynamicRouting.Route(uHat, _routings).MoveToOuterDisposeScope();  // [B,J,16]
    }
}
