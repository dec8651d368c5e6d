using System.Diagnostics;
using CapsNet.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CapsNet.Bench;

/// <summary>
/// The training step of <c>Trainer.Step</c> (forward, losses, backward, Adam) with timestamps between its parts.
/// The graph is cut by detached leaves at the primary capsules and at the digit capsules, so that each part's
/// backward pass runs as a call of its own; the arithmetic is the same as the uncut step's.
/// </summary>
internal sealed class StepParts(CapsuleNetwork model, Adam optimizer, double lamRecon)
{
    /// <summary>The parts, in the order the table prints them; the last has no backward pass.</summary>
    public static readonly string[] Names =
    [
        "convolutions (conv1, primary caps)",
        "digit caps (u_hat, routing)",
        "decoder and losses",
        "optimiser (Adam)",
    ];

    /// <summary>One step on images <paramref name="x"/> and labels <paramref name="y"/>: seconds forward and backward per part.</summary>
    public (double[] Forward, double[] Backward) Step(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var forward = new double[Names.Length];
        var backward = new double[Names.Length];
        long start = Stopwatch.GetTimestamp();
        Tensor primary = model.Primary(x);  // [B,I,8]
        Tensor primaryLeaf = primary.detach().requires_grad_();
        forward[0] = Lap(ref start);

        Tensor capsules = model.Digits(primaryLeaf);  // [B,classes,16]
        Tensor capsulesLeaf = capsules.detach().requires_grad_();
        forward[1] = Lap(ref start);

        Tensor lengths = Capsules.Length(capsulesLeaf);
        Tensor reconstruction = model.Decode(capsulesLeaf, nn.functional.one_hot(y, model.Config.Classes));
        Tensor loss = CapsuleLoss.Total(CapsuleLoss.Margin(lengths, y), CapsuleLoss.Reconstruction(x, reconstruction), lamRecon);
        loss.item<float>();  // the trainer's divergence check reads it
        forward[2] = Lap(ref start);

        optimizer.zero_grad();
        loss.backward();
        backward[2] = Lap(ref start);
        capsules.backward([capsulesLeaf.grad!]);
        backward[1] = Lap(ref start);
        primary.backward([primaryLeaf.grad!]);
        backward[0] = Lap(ref start);

        optimizer.step();
        forward[3] = Lap(ref start);
        return (forward, backward);
    }

    private static double Lap(ref long start)
    {
        long now = Stopwatch.GetTimestamp();
        double seconds = Stopwatch.GetElapsedTime(start, now).TotalSeconds;
        start = now;
        return seconds;
    }
}
