namespace CapsNet.Model;

/// <summary>
/// The memory a step of a CapsNet needs, by part: the float32 parameters, their gradients and Adam's two moments
/// when training, a step's activations at its batch size, and the runtime itself (.NET and libtorch loaded).
/// </summary>
internal sealed record MemoryEstimate(long ParameterBytes, long OptimizerBytes, long ActivationBytes, long RuntimeBytes)
{
    public long TotalBytes => ParameterBytes + OptimizerBytes + ActivationBytes + RuntimeBytes;
}
