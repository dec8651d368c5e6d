using CapsNet.Model;
using PureHDF;
using static TorchSharp.torch;

namespace CapsNet.Tests.Interop;

/// <summary>
/// A CapsNet's weights laid out as capsulenet.py's <c>model.save_weights</c> writes them, editable before writing:
/// channels-last conv kernels [kh,kw,in,out], dense kernels [in,out], the decoder's output in [H,W,C] order.
/// </summary>
internal sealed class KerasLayout
{
    public static readonly string[] TfKerasDense = ["dense", "dense_1", "dense_2"];
    public static readonly string[] Keras20Dense = ["dense_1", "dense_2", "dense_3"];

    public List<string> LayerNames { get; } = [];

    /// <summary>Per layer, its weights as Keras names them (relative to the layer's group).</summary>
    public Dictionary<string, List<KerasDataset>> Weights { get; } = [];

    public static KerasLayout Of(CapsuleNetwork model, string[] denseNames, string maskName = "mask")
    {
        CapsNetConfig c = model.Config;
        Dictionary<string, Tensor> state = model.state_dict();
        var layout = new KerasLayout();
        layout.LayerNames.AddRange(["input_1", "conv1", "primarycap_conv2d", "primarycap_reshape", "primarycap_squash", "digitcaps",
            "input_2", maskName, "capsnet", "decoder"]);
        layout.Weights["conv1"] = [Kernel("conv1/kernel:0", state["conv1.weight"]), Plain("conv1/bias:0", state["conv1.bias"])];
        layout.Weights["primarycap_conv2d"] =
            [Kernel("primarycap_conv2d/kernel:0", state["primary_caps.weight"]), Plain("primarycap_conv2d/bias:0",
                state["primary_caps.bias"])];
        layout.Weights["digitcaps"] = [Plain("digitcaps/W:0", state["digit_caps.weight"])];
        // Our output rows are [C,H,W]; Keras' are [H,W,C].
        Tensor outputWeight = state["decoder.4.weight"].reshape(c.InputChannels, c.InputSide, c.InputSide, -1).permute(1, 2, 0,
            3).reshape(c.PixelCount, -1);
        Tensor outputBias = state["decoder.4.bias"].reshape(c.InputChannels, c.InputSide, c.InputSide).permute(1, 2, 0).reshape(-1);
        layout.Weights["decoder"] =
        [
            Plain($"{denseNames[0]}/kernel:0", state["decoder.0.weight"].t()), Plain($"{denseNames[0]}/bias:0", state["decoder.0.bias"]),
            Plain($"{denseNames[1]}/kernel:0", state["decoder.2.weight"].t()), Plain($"{denseNames[1]}/bias:0", state["decoder.2.bias"]),
            Plain($"{denseNames[2]}/kernel:0", outputWeight.t()), Plain($"{denseNames[2]}/bias:0", outputBias),
        ];
        return layout;
    }

    /// <summary>
    /// Writes the file as h5py does: fixed-length name strings, an empty float array for a layer without weights.
    /// With <paramref name="wholeModel"/>, the weights go under <c>model_weights</c>, as <c>model.save</c> puts them.
    /// </summary>
    public string Write(string path, bool wholeModel = false)
    {
        var file = new H5File();
        H5Group root = file;
        if (wholeModel)
            file["model_weights"] = root = new H5Group();
        root.Attributes["layer_names"] = LayerNames.ToArray();
        root.Attributes["backend"] = "tensorflow";
        root.Attributes["keras_version"] = "2.6.0";
        foreach (string layer in LayerNames)
        {
            List<KerasDataset> weights = Weights.GetValueOrDefault(layer) ?? [];
            var group = new H5Group();
            group.Attributes["weight_names"] = weights.Count > 0 ? weights.Select(w =>
                w.Name).ToArray() : new H5Attribute(Array.Empty<double>(), [0]);
            foreach (KerasDataset weight in weights)
            {
                string[] parts = weight.Name.Split('/');  // "dense/kernel:0": a subgroup and a dataset
                var parent = (H5Group)(group.TryGetValue(parts[0], out object? existing) ? existing : group[parts[0]] = new H5Group());
                ulong[] dims = weight.Shape.Select(d => (ulong)d).ToArray();
                // Without values: declared in chunks of one row, none of them written, as a file that claims more than it holds.
                parent[parts[1]] = weight.DeclaredOnly
                    ? new H5Dataset<float[]>(dims, chunks: [1, .. weight.Shape.Skip(1).Select(d => (uint)d)])
                    : new H5Dataset(weight.Values, fileDims: dims);
            }
            root[layer] = group;
        }
        file.Write(path, new H5WriteOptions(DefaultStringLength: 64));
        return path;
    }

    public static KerasDataset Plain(string name, Tensor value) =>
        new(name, value.shape, value.contiguous().data<float>().ToArray());

    // [out,in,kh,kw] -> [kh,kw,in,out]
    private static KerasDataset Kernel(string name, Tensor value) => Plain(name, value.permute(2, 3, 1, 0));
}

/// <summary>A weight as Keras names it, its shape, and its values (none: the file only declares the shape).</summary>
internal sealed record KerasDataset(string Name, long[] Shape, float[] Values)
{
    public static KerasDataset Declared(string name, long[] shape) => new(name, shape, []);

    public bool DeclaredOnly => Values.Length == 0 && Shape.All(d => d > 0);
}
