using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Inference;

/// <summary>Runs a trained network on prepared inputs in batches: capsule lengths and, when asked, reconstructions.</summary>
internal sealed class Predictor
{
    private readonly CapsuleNetwork _model;
    private readonly Device _device;

    public Predictor(CapsuleNetwork model, Device device)
    {
        _model = model;
        _device = device;
    }

    /// <summary>
    /// The capsule lengths [N][classes] of <paramref name="inputs"/> (each C*side*side pixels in [0,1]) and, with
    /// <paramref name="reconstruct"/>, each input's reconstruction from its predicted class [N][C*side*side].
    /// </summary>
    public (float[][] Lengths, float[][]? Reconstructions) Run(IReadOnlyList<float[]> inputs, int batchSize, bool reconstruct,
        Action<int>? progress = null)
    {
        CapsNetConfig config = _model.Config;
        var lengths = new float[inputs.Count][];
        float[][]? reconstructions = reconstruct ? new float[inputs.Count][] : null;
        _model.eval();
        using var noGrad = no_grad();
        for (int start = 0; start < inputs.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, inputs.Count - start);
            var pixels = new float[count * config.PixelCount];
            for (int k = 0; k < count; k++)
                inputs[start + k].CopyTo(pixels, k * config.PixelCount);
            Tensor x = tensor(pixels, [count, config.InputChannels, config.InputSide, config.InputSide]).to(_device);
            Tensor capsules = _model.Encode(x);  // [count,classes,16]
            Tensor batchLengths = Capsules.Length(capsules).cpu();  // [count,classes]
            Tensor? images = reconstruct ? _model.Decode(capsules, nn.functional.one_hot(batchLengths.argmax(1).to(_device),
                config.Classes)).cpu() : null;
            for (int k = 0; k < count; k++)
            {
                lengths[start + k] = batchLengths[k].data<float>().ToArray();
                if (images is not null)
                    reconstructions![start + k] = images[k].flatten().data<float>().ToArray();
            }
            progress?.Invoke(start + count);
        }
        return (lengths, reconstructions);
    }
}
