using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>
/// One capsule per class. Every (class j, input capsule i) pair has its own 16x8 matrix W[j,i]; predictions
/// u_hat = W[j,i] u_i are routed by agreement. No bias.
/// </summary>
internal sealed class DigitCapsules : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;
    private readonly int _routings;

    public DigitCapsules(CapsNetConfig config, Generator? generator)
        : base("digit_caps")
    {
        int classes = config.Classes, inputs = config.PrimaryCapsuleCount, inputDim = config.PrimaryCapsuleDim;
        _routings = config.Routings;
        _weight = new Parameter(empty(classes, inputs, config.DigitCapsuleDim, inputDim));  // [10,1152,16,8]
        // Keras treats W as a kernel whose receptive field is classes*inputs.
        long receptiveField = (long)classes * inputs;
        Glorot.Uniform(_weight, fanIn: config.DigitCapsuleDim * receptiveField, fanOut: inputDim * receptiveField, generator);
        RegisterComponents();
    }

    /// <summary>Capsules u [B,I,8] -> v [B,J,16]: predictions in u's dtype, v in float32.</summary>
    public override Tensor forward(Tensor u)
    {
        using var scope = NewDisposeScope();
        long classes = _weight.shape[0], inputs = _weight.shape[1], dim = _weight.shape[2], inputDim = _weight.shape[3];
        // W_ij as one [8,J*16] block per input capsule i: u_hat for every j is then one product per input capsule.
        Tensor perInput = _weight.to_type(u.dtype).permute(1, 3, 0, 2).reshape(inputs, inputDim, classes * dim);  // [I,8,J*16]
        return DynamicRouting.Route(u, perInput, (int)classes, _routings).MoveToOuterDisposeScope();  // [B,J,16]
    }
}
