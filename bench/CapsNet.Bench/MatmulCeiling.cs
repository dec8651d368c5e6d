using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Bench;

/// <summary>
/// The machine's own ceiling for the step: the three matrix products of the primary-capsule convolution as plain
/// products on unfolded patches, at the step's shapes: output [B*P,K] x [K,256], weight gradient [256,B*P] x [B*P,K]
/// and patch gradient [B*P,256] x [256,K], with P grid positions and K = 256*9*9.
/// </summary>
internal sealed class MatmulCeiling : IDisposable
{
    private readonly Tensor _patches, _weight, _grad;
    private readonly double _flops;

    public MatmulCeiling(CapsNetConfig config, int batch, ScalarType dtype, Generator generator)
    {
        long positions = (long)batch * config.PrimaryGridSide * config.PrimaryGridSide;
        long patch = (long)config.Conv1Channels * config.PrimaryKernel * config.PrimaryKernel;
        _patches = rand([positions, patch], generator: generator).to_type(dtype);
        _weight = rand([patch, config.PrimaryChannels], generator: generator).to_type(dtype);
        _grad = rand([positions, config.PrimaryChannels], generator: generator).to_type(dtype);
        _flops = 3 * batch * StepCost.PrimaryConvolutionFlops(config);
    }

    /// <summary>Runs the three products once.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        _patches.mm(_weight);
        _grad.t().mm(_patches);
        _grad.mm(_weight.t());
    }

    public double GflopsPerSecond(double stepSeconds) => _flops / stepSeconds / 1e9;

    public void Dispose()
    {
        _patches.Dispose();
        _weight.Dispose();
        _grad.Dispose();
    }
}
