using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>
/// CapsNet (Sabour, Frosst and Hinton 2017): conv1 -> primary capsules -> digit capsules with dynamic routing,
/// the capsule lengths as class scores, and a decoder that reconstructs the input from the masked capsules.
/// </summary>
internal sealed class CapsuleNetwork : nn.Module<Tensor, Tensor?, (Tensor Lengths, Tensor Reconstruction)>
{
    [ComponentName(Name = "conv1")]
    private readonly Conv2d _conv1;
    [ComponentName(Name = "primary_caps")]
    private readonly PrimaryCapsules _primaryCaps;
    [ComponentName(Name = "digit_caps")]
    private readonly DigitCapsules _digitCaps;
    [ComponentName(Name = "decoder")]
    private readonly Decoder _decoder;

    /// <param name="generator">Source of the initial weights; the global generator when null.</param>
    public CapsuleNetwork(CapsNetConfig config, Generator? generator = null)
        : base("capsnet")
    {
        Config = config.Validate();
        _conv1 = nn.Conv2d(config.InputChannels, config.Conv1Channels, config.Conv1Kernel);
        int kernelArea = config.Conv1Kernel * config.Conv1Kernel;
        Glorot.Uniform(_conv1.weight!, fanIn: config.InputChannels * kernelArea, fanOut: config.Conv1Channels * kernelArea, generator);
        _primaryCaps = new PrimaryCapsules(config, generator);
        _digitCaps = new DigitCapsules(config, generator);
        _decoder = new Decoder(config, generator);

        RegisterComponents();
        using (no_grad())
            nn.init.zeros_(_conv1.bias!);
        // The decoder's initialiser read it last, in native code: a caller's temporary generator lives until here, so
        // that no other thread's garbage collection frees it in use.
        GC.KeepAlive(generator);
    }

    /// <summary>
    /// The seeded network for <paramref name="config"/>, computing in <paramref name="precision"/> on <paramref name="device"/>.
    /// </summary>
    public static CapsuleNetwork Create(CapsNetConfig config, int seed, Precision precision, Device device)
    {
        manual_seed(seed);
        using var generator = new Generator((ulong)seed);  // freed here, not left to the finalizer
        var model = new CapsuleNetwork(config, generator) { Precision = precision };
        try
        {
            model.to(device);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public CapsNetConfig Config { get; }

    /// <summary>The dtype of convolutions and matrix products; float32 master weights either way.</summary>
    public Precision Precision { get; set; } = Precision.Fp32;

    /// <summary>
    /// "Device: cpu, 2 threads, bf16 (auto: this processor multiplies bfloat16 natively, AVX512_BF16).": where and how
    /// the network computes, and why in that precision.
    /// </summary>
    public string Describe(Device device, ChosenPrecision chosen)
    {
        int threads = get_num_threads();
        return $"Device: {device.type.ToString().ToLowerInvariant()}, {threads} thread{(threads == 1 ? "" : "s")}, {chosen}.";
    }

    /// <summary>Images [B,C,H,W] -> digit capsules [B,classes,16] (float32).</summary>
    public Tensor Encode(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Digits(Primary(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Images [B,C,H,W] -> primary capsules u [B,I,8] in the compute dtype (I = 1152 at side 28).</summary>
    public Tensor Primary(Tensor x)
    {
        using var scope = NewDisposeScope();
        ScalarType compute = Precision.ComputeType();
        Tensor features = nn.functional.relu(nn.functional.conv2d(
            x.to_type(compute), _conv1.weight!.to_type(compute), _conv1.bias!.to_type(compute)));  // [B,256,side-8,side-8]
        Tensor primary = _primaryCaps.forward(features);  // [B,I,8], float32
        return primary.to_type(compute).MoveToOuterDisposeScope();
    }

    /// <summary>Primary capsules u [B,I,8] -> digit capsules v [B,classes,16] (float32), routed by agreement.</summary>
    public Tensor Digits(Tensor u) => _digitCaps.forward(u);

    /// <summary>
    /// Reconstructs images [B,C,H,W] from capsules [B,classes,16], keeping only the capsules selected by the
    /// one-hot <paramref name="mask"/> [B,classes] (flattened capsule-major, index j*16+d).
    /// </summary>
    public Tensor Decode(Tensor capsules, Tensor mask)
    {
        using var scope = NewDisposeScope();
        Tensor masked = (capsules * mask.unsqueeze(-1).to_type(capsules.dtype)).flatten(1);  // [B,classes*16]
        Tensor pixels = _decoder.forward(masked.to_type(Precision.ComputeType())).to_type(capsules.dtype);  // [B,C*H*W]
        return pixels.view(-1, Config.InputChannels, Config.InputSide, Config.InputSide).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Class scores (capsule lengths) [B,classes] and reconstructions [B,C,H,W]. The decoder sees the capsule of
    /// <paramref name="labels"/> when given (training, validation), else that of the predicted class (testing).
    /// With labels [B,K] (MultiMNIST), or predicting for a model of K labels an image, the decoder runs once for
    /// each of the K classes, from its capsule alone: reconstructions [B,K,C,H,W].
    /// </summary>
    public override (Tensor Lengths, Tensor Reconstruction) forward(Tensor x, Tensor? labels)
    {
        using var scope = NewDisposeScope();
        Tensor capsules = Encode(x);
        Tensor lengths = Capsules.Length(capsules);
        Tensor classes = labels ?? Predicted(lengths);
        Tensor reconstruction = classes.dim() == 1
            ? Decode(capsules, nn.functional.one_hot(classes, Config.Classes))
            : stack(Enumerable.Range(0, (int)classes.shape[1])
                .Select(k => Decode(capsules, nn.functional.one_hot(classes[.., k], Config.Classes))), 1);
        return (lengths.MoveToOuterDisposeScope(), reconstruction.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The classes the capsule lengths [B,classes] name: the longest, [B]; or for a model of K labels an image the
    /// K longest, longest first, [B,K] (among equal lengths the lower class first, as argmax picks).
    /// </summary>
    public Tensor Predicted(Tensor lengths) => Config.LabelsPerImage == 1
        ? lengths.argmax(1)
        : lengths.sort(1, descending: true, stable: true).Indices[.., ..Config.LabelsPerImage].contiguous();
}
