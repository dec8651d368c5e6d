using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>
/// Three dense layers, 160 -> 512 (ReLU) -> 1024 (ReLU) -> pixels (sigmoid) at the config's sizes, computed in the dtype of the
/// input. Parameters are named 0, 2 and 4, the indices a PyTorch nn.Sequential with activations would give.
/// </summary>
internal sealed class Decoder : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "0")]
    private readonly Linear _hidden1;
    [ComponentName(Name = "2")]
    private readonly Linear _hidden2;
    [ComponentName(Name = "4")]
    private readonly Linear _output;

    public Decoder(CapsNetConfig config, Generator? generator)
        : base("decoder")
    {
        _hidden1 = DenseLayer(config.MaskedLength, config.DecoderHidden1, generator);
        _hidden2 = DenseLayer(config.DecoderHidden1, config.DecoderHidden2, generator);
        _output = DenseLayer(config.DecoderHidden2, config.PixelCount, generator);
        RegisterComponents();
    }

    public override Tensor forward(Tensor masked)
    {
        using var scope = NewDisposeScope();
        Tensor hidden = nn.functional.relu(Dense(_hidden1, masked));  // [B,512]
        hidden = nn.functional.relu(Dense(_hidden2, hidden));  // [B,1024]
        return nn.functional.sigmoid(Dense(_output, hidden)).MoveToOuterDisposeScope();  // [B,784]
    }

    private static Tensor Dense(Linear layer, Tensor x) =>
        nn.functional.linear(x, layer.weight!.to_type(x.dtype), layer.bias!.to_type(x.dtype));

    private static Linear DenseLayer(int inputs, int outputs, Generator? generator)
    {
        Linear layer = nn.Linear(inputs, outputs);
        Glorot.Uniform(layer.weight!, fanIn: inputs, fanOut: outputs, generator);
        using (no_grad())
            layer.bias!.zero_();
        return layer;
    }
}
