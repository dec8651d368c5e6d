using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CapsNet.Training;

/// <summary>
/// TorchSharp's Adam update, p -= lr / (1 - beta1^t) m / (sqrt(v) / sqrt(1 - beta2^t) + eps), rearranged as
/// lr_t m / (sqrt(v) + eps sqrt(1 - beta2^t)) with lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t): three passes over the
/// 8 M weights fewer per step. The state (m, v, step) is TorchSharp's, so checkpoints are unchanged.
/// </summary>
internal sealed class LeanAdam : Adam
{
    public const double Beta1 = 0.9;
    public const double Beta2 = 0.999;
    public const double Epsilon = 1e-7;

    private static readonly Scalar HeldBeta2 = Beta2.ToScalar();
    private static readonly Scalar HeldOneMinusBeta2 = (1 - Beta2).ToScalar();

    public LeanAdam(IEnumerable<Parameter> parameters, double lr)
        : base(parameters, lr, Beta1, Beta2, Epsilon)
    {
    }

    /// <summary>
    /// Drops the gradients, as PyTorch's zero_grad does by default, so that backward hands over the gradients it
    /// computes instead of adding them to zeros: two passes over the weights fewer per step.
    /// </summary>
    public override void zero_grad()
    {
        foreach (Parameter parameter in parameters())
            parameter.grad = null;
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        double lr = group.LearningRate;
        foreach (Parameter parameter in group.Parameters)
        {
            using var scope = NewDisposeScope();  // frees each update's temporary before the next parameter's
            Tensor? grad = parameter.grad;
            if (grad is null)
                continue;
            var state = (State)_state[parameter.Handle];
            state.step++;
            double rootCorrection2 = Math.Sqrt(1 - Math.Pow(Beta2, state.step));
            double correctedLr = lr * rootCorrection2 / (1 - Math.Pow(Beta1, state.step));
            using Scalar epsilon = (Epsilon * rootCorrection2).ToScalar(), stepSize = (-correctedLr).ToScalar();
            // m += (g - m)(1 - beta1); lerp_ takes no Scalar: 1 - beta1 becomes a 0-dim tensor, which the scope holds.
            state.exp_avg.lerp_(grad, 1 - Beta1);
            state.exp_avg_sq.mul_(HeldBeta2).addcmul_(grad, grad, value: HeldOneMinusBeta2);
            parameter.addcdiv_(state.exp_avg, state.exp_avg_sq.sqrt().PlusInPlace(epsilon), value: stepSize);
        }
    }, closure);
}
