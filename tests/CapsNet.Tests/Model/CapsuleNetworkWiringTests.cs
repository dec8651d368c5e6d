using CapsNet.Model;
using TorchSharp;
using static CapsNet.HeldScalars;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

/// <summary>
/// The whole network checked against the same computation written out from its weights with plain tensor
/// operations: each piece's own tests prove the piece, these prove how the pieces are joined.
/// </summary>
public sealed class CapsuleNetworkWiringTests
{
    private const int Batch = 3;
    // float32 sums over 1152 capsules in a different order: differences of a few 1e-7 on values near 1.
    private const double Tolerance = 1e-4;

    private static Tensor Images()
    {
        using var generator = new Generator(11);
        return rand([Batch, 1, 28, 28], generator: generator);
    }

    /// <summary>conv1, ReLU, the primary convolution grouped channels-last and squashed, then u_hat = W[j,i] u_i.</summary>
    private static Tensor Predictions(CapsuleNetwork model, Tensor x)
    {
        Tensor features = nn.functional.relu(nn.functional.conv2d(
            x, GrownNetwork.Parameter(model, "conv1.weight"), GrownNetwork.Parameter(model, "conv1.bias")));
        Tensor conv = nn.functional.conv2d(features, GrownNetwork.Parameter(model, "primary_caps.weight"),
            GrownNetwork.Parameter(model, "primary_caps.bias"), strides: [2, 2]);  // [B,256,6,6]
        // Capsule (row*6 + col)*32 + channel/8, component channel%8: Keras' channels-last reshape.
        Tensor u = Capsules.Squash(conv.permute(0, 2, 3, 1).reshape(Batch, 1152, 8));
        return einsum("jidk,bik->bjid", GrownNetwork.Parameter(model, "digit_caps.weight"), u);  // [B,10,1152,16]
    }

    /// <summary>Procedure 1 of the paper with broadcast operations, as many iterations as asked.</summary>
    private static Tensor Route(Tensor uHat, int iterations)
    {
        Tensor logits = zeros(uHat.shape[..3]);  // [B,J,I]
        Tensor v = null!;
        for (int it = 0; it < iterations; it++)
        {
            Tensor c = logits.softmax(1);
            Tensor s = (c.unsqueeze(-1) * uHat).sum(2);  // [B,J,16]
            Tensor n2 = s.Squared().sum(-1, keepdim: true);
            v = n2 / n2.Plus(One) / n2.Plus(Capsules.HeldEpsilon).sqrt() * s;
            logits = logits.Plus((v.unsqueeze(2) * uHat).sum(-1));
        }
        return v;
    }

    private static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EncodeRoutesAsManyTimesAsConfigured(int routings)
    {
        using var model = GrownNetwork.Build(routings);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = Images();
        Tensor uHat = Predictions(model, x);

        Tensor encoded = model.Encode(x);
        var (lengths, _) = model.forward(x, null);

        Tensor expected = Route(uHat, routings);
        Assert.True(MaxDifference(encoded, expected) < Tolerance,
            $"differs from {routings} routings by {MaxDifference(encoded, expected):G3}");
        Assert.True(MaxDifference(lengths, Capsules.Length(expected)) < Tolerance, "forward's class scores are not the capsule lengths");
        // The check can tell the neighbouring counts apart: they move the capsules by far more than the tolerance.
        foreach (int other in new[] { routings - 1, routings + 1 }.Where(n => n >= 1))
        {
            double apart = MaxDifference(Route(uHat, other), expected);
            Assert.True(apart > 100 * Tolerance, $"{other} and {routings} routings differ by only {apart:G3}");
        }
    }

    [Fact]
    public void ForwardMasksTheDecoderWithTheLabelsWhenGivenAndThePredictionOtherwise()
    {
        using var model = GrownNetwork.Build();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = Images();
        Tensor capsules = model.Encode(x);
        Tensor predicted = Capsules.Length(capsules).argmax(1);
        using Scalar classes = 10.ToScalar();
        Tensor labels = predicted.Plus(One) % classes;  // never the prediction
        Tensor fromLabels = model.Decode(capsules, nn.functional.one_hot(labels, 10));
        Tensor fromPrediction = model.Decode(capsules, nn.functional.one_hot(predicted, 10));

        var (_, training) = model.forward(x, labels);
        var (_, testing) = model.forward(x, null);

        Assert.True(MaxDifference(fromLabels, fromPrediction) > 0.1, "the mask makes no difference to check");
        Assert.True(MaxDifference(training, fromLabels) < Tolerance, "with labels, the decoder did not get the labels' capsules");
        Assert.True(MaxDifference(testing, fromPrediction) < Tolerance, "without labels, the decoder did not get the predicted capsules");
    }
}
