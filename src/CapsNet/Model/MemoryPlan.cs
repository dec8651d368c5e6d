using System.Globalization;

namespace CapsNet.Model;

/// <summary>
/// How much memory a CapsNet needs before it is built, and whether the machine has it: a network for large images
/// asks for hundreds of gigabytes, and without a look ahead the first sign is the kernel killing the process.
/// </summary>
/// <remarks>
/// Activations are counted per image in the compute dtype (4 bytes in float32, 2 in bfloat16), tensor by tensor
/// as the model's forward and the hand-written backward passes make them (see <see cref="Estimate"/>); u_hat
/// [classes, I, 16] and its copies dominate. A training step needs the larger of its forward pass and what
/// backward holds at once. The sum is scaled by <see cref="MeasuredOverActivations"/>, fitted to the peak resident
/// memory of real steps.
/// </remarks>
internal static class MemoryPlan
{
    /// <summary>
    /// What libtorch's allocator and kernels hold beyond the tensors named, as a share of them: with it, the
    /// estimate is 0.96 to 1.3 times the peak resident memory measured for 1x28x28 at batch 100 and 32 (train and
    /// test, float32 and bfloat16), 1x64x64 at batch 16 and 3x32x32 at batch 100 (bench/CapsNet.MemoryBench).
    /// </summary>
    public const double MeasuredOverActivations = 1.15;

    /// <summary>
    /// Resident memory of a process before any network: .NET, libtorch and the tool's code (140 MiB measured), and
    /// the working buffers a step's kernels keep whatever the batch (60 MiB, from batch 32 and 100).
    /// </summary>
    public const long RuntimeBytes = 200L << 20;

    /// <summary>The sizes of the network <paramref name="config"/> describes.</summary>
    public static NetworkSizes Sizes(CapsNetConfig config) => new(
        config.InputChannels, config.InputSide, config.Classes, config.Routings,
        config.Conv1Channels, config.Conv1Kernel,
        config.PrimaryChannels, config.PrimaryCapsuleDim, config.PrimaryKernel, config.PrimaryStride,
        config.DigitCapsuleDim, config.DecoderHidden1, config.DecoderHidden2);

    /// <summary>The memory of one step at <paramref name="batchSize"/>: a training step, or a test-mode forward pass.</summary>
    public static MemoryEstimate Estimate(NetworkSizes n, int batchSize, bool training, Precision precision)
    {
        const int f = sizeof(float);
        bool bf16 = precision == Precision.Bf16;
        double e = bf16 ? 2 : 4, copy = bf16 ? 2 : 0;  // the compute dtype; the bfloat16 copies only bfloat16 makes
        double scratch = bf16 ? f : 0;  // a bfloat16 product of u_hat's size goes through a float32 result on the CPU
        double conv1 = (double)n.Conv1Channels * n.Conv1Side * n.Conv1Side;  // per image
        double primary = (double)n.PrimaryChannels * n.GridSide * n.GridSide;  // = I * 8
        double uHat = n.Predictions;
        double couplings = (double)n.Classes * n.PrimaryCapsules;

        // Forward: the input, conv1's output and its ReLU, the primary convolution and its float32 capsules with the
        // squash's temporaries, u_hat twice (the batched product and its contiguous copy), and per routing iteration
        // the couplings, the agreements and the logits.
        double forward = n.Pixels * (f + copy) + 2 * conv1 * e + primary * (2 * e + 4 * f)
            + uHat * (2 * e + scratch) + couplings * f * (3 * n.Routings + 2);
        double activations = forward;
        if (training)
        {
            // What backward starts from: the ReLU, the capsules, u_hat and each iteration's couplings. Then u_hat's
            // gradient (written once) and its reordered copy, the 2R-1 coefficient rows it is gathered from, the
            // gradients of conv1's two outputs, and in bfloat16 the im2col patches of the primary convolution and
            // its input laid out channels-last.
            double saved = n.Pixels * (f + copy) + conv1 * e + primary * (e + 2 * f) + uHat * e + couplings * f * 2 * n.Routings;
            double backward = uHat * (2 * e + scratch) + couplings * (2 * n.Routings - 1) * (f + copy) + 2 * conv1 * e
                + (bf16 ? ((double)n.GridSide * n.GridSide * n.PrimaryKernel * n.PrimaryKernel * n.Conv1Channels + conv1) * e : 0);
            activations = Math.Max(forward, saved + backward);
        }
        long parameters = n.Parameters * f;
        return new MemoryEstimate(
            ParameterBytes: parameters + (bf16 ? n.Parameters * 2 : 0),  // and the bfloat16 copies a step makes
            OptimizerBytes: training ? 3 * parameters : 0,  // gradients, Adam's two moments
            ActivationBytes: (long)(batchSize * activations * MeasuredOverActivations),
            RuntimeBytes: RuntimeBytes);
    }

    /// <summary>
    /// The memory this machine can give: MemAvailable from /proc/meminfo (MemTotal where the kernel has no
    /// MemAvailable), else what .NET knows of the machine or its container; null when nothing tells.
    /// </summary>
    public static long? AvailableBytes(string meminfo = "/proc/meminfo")
    {
        if (File.Exists(meminfo))
        {
            Dictionary<string, long> fields = File.ReadLines(meminfo)
                .Select(line => line.Split(':', 2))
                .Where(parts => parts.Length == 2)
                .ToDictionary(parts => parts[0].Trim(), parts => long.TryParse(parts[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture,
                    out long kib) ? kib * 1024 : -1);
            if (fields.GetValueOrDefault("MemAvailable", -1) is > 0 and long available)
                return available;
            if (fields.GetValueOrDefault("MemTotal", -1) is > 0 and long total)
                return total;
        }
        long known = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return known > 0 ? known : null;
    }

    /// <summary>
    /// Fails, before the network is built, when a step of <paramref name="config"/>'s network at
    /// <paramref name="batchSize"/> needs more memory than <paramref name="limitBytes"/> or, without a limit, than the
    /// machine can give.
    /// </summary>
    public static void EnsureFits(CapsNetConfig config, int batchSize, bool training, Precision precision, long? limitBytes = null)
    {
        NetworkSizes sizes = Sizes(config);
        MemoryEstimate estimate = Estimate(sizes, batchSize, training, precision);
        if ((limitBytes ?? AvailableBytes()) is long limit
            && TooLarge(estimate, sizes, batchSize, training, limit,
                limitBytes is null ? "this machine has" : "the limit is") is string fact)
            throw new NotEnoughMemoryException(fact, batchSize);
    }

    /// <summary>
    /// Null when <paramref name="estimate"/> fits in <paramref name="limitBytes"/>; else the fact in one sentence,
    /// e.g. "A network for 3x1000x1000 images needs about 412 GB for a training step at batch size 100; this
    /// machine has 23 GB." <paramref name="limitName"/> is what the limit is ("this machine has", "the limit is").
    /// </summary>
    public static string? TooLarge(MemoryEstimate estimate, NetworkSizes sizes, int batchSize, bool training, long limitBytes,
        string limitName = "this machine has")
    {
        if (estimate.TotalBytes <= limitBytes)
            return null;
        string step = training ? "a training step" : "a test-mode step";
        return $"A network for {sizes.ImageShape} images needs about {Size(estimate.TotalBytes)} for {step} at batch size {batchSize}; " +
            $"{limitName} {Size(limitBytes)}.";
    }

    /// <summary>Bytes in TB (2^40), GB (2^30) or MB (2^20): whole units from 10 up, else one decimal.</summary>
    public static string Size(long bytes)
    {
        double tib = bytes / (double)(1L << 40), gib = bytes / (double)(1L << 30);
        if (tib >= 1)
            return tib >= 10 ? $"{tib:F0} TB" : $"{tib:0.#} TB";
        if (gib >= 1)
            return gib >= 10 ? $"{gib:F0} GB" : $"{gib:0.#} GB";
        return $"{bytes / (double)(1L << 20):F0} MB";
    }
}
