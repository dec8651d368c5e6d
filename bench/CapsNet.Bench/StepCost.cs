using CapsNet.Model;

namespace CapsNet.Bench;

/// <summary>
/// Multiply-add FLOPs (2 per multiply-add) of one training image: every product counted forward and for each
/// gradient taken (input and weight), so three times forward except conv1, whose input needs no gradient.
/// Element-wise work (squash, softmax, losses, Adam) is left out: it is not what the matrix units do.
/// </summary>
internal static class StepCost
{
    public static double TrainFlopsPerImage(CapsNetConfig config)
    {
        CapsNetConfig c = config;
        double conv1 = ConvolutionFlops(c.InputChannels, c.Conv1Channels, c.Conv1Kernel, c.Conv1Side);
        double primary = PrimaryConvolutionFlops(c);
        long inputs = c.PrimaryCapsuleCount, outputs = c.MaskedLength;
        double predictions = 2.0 * inputs * c.PrimaryCapsuleDim * outputs;  // u_hat = W u
        // Each routing iteration weighs the predictions (s = c u_hat); all but the last also measure agreement (v . u_hat).
        double routing = 2.0 * inputs * outputs * (2 * config.Routings - 1);
        double decoder = 2.0 * ((double)outputs * c.DecoderHidden1 + (double)c.DecoderHidden1 * c.DecoderHidden2
            + (double)c.DecoderHidden2 * c.PixelCount);
        return 2 * conv1 + 3 * (primary + predictions + routing + decoder);
    }

    /// <summary>The primary-capsule convolution's forward product for one image: [positions, C*k*k] x [C*k*k, 256].</summary>
    public static double PrimaryConvolutionFlops(CapsNetConfig config) =>
        ConvolutionFlops(config.Conv1Channels, config.PrimaryChannels, config.PrimaryKernel, config.PrimaryGridSide);

    /// <summary>One image's convolution forward: a [C*k*k]-long dot product per output channel and position.</summary>
    private static double ConvolutionFlops(int inChannels, int outChannels, int kernel, int outputSide) =>
        2.0 * inChannels * kernel * kernel * outChannels * outputSide * outputSide;
}
