using PureHDF;
using PureHDF.VOL.Native;

namespace CapsNet.Interop;

/// <summary>
/// The layers of an HDF5 file as Keras' <c>save_weights</c> writes it: the root attribute <c>layer_names</c>
/// lists the layers; each is a group whose attribute <c>weight_names</c> lists its datasets, relative to it.
/// </summary>
internal sealed class KerasFile : IDisposable
{
    private const string LayerNames = "layer_names";

    private readonly NativeFile _file;

    private KerasFile(NativeFile file, IReadOnlyList<KerasLayer> layers)
    {
        _file = file;
        Layers = layers;
    }

    public IReadOnlyList<KerasLayer> Layers { get; }

    /// <summary>
    /// Opens a file already known to be HDF5; fails with <see cref="InvalidDataException"/> when it holds no Keras weights.
    /// </summary>
    public static KerasFile Open(string path)
    {
        NativeFile file = H5File.OpenRead(path);
        try
        {
            // A whole model saved with model.save keeps the same layout under model_weights.
            IH5Group root = !file.AttributeExists(LayerNames) && file.LinkExists("model_weights") ? file.Group("model_weights") : file;
            if (!root.AttributeExists(LayerNames))
                throw new InvalidDataException($"it has no '{LayerNames}' attribute");
            var layers = Names(root.Attribute(LayerNames)).Select(name => ReadLayer(root, name)).ToArray();
            return new KerasFile(file, layers);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose() => _file.Dispose();

    // h5py stores an empty list as an empty (or null) float array, not as strings.
    private static string[] Names(IH5Attribute attribute) =>
        attribute.Space.Type == H5DataspaceType.Simple && attribute.Space.Dimensions.All(d => d > 0)
            ? attribute.Read<string[]>()
            : [];

    private static KerasLayer ReadLayer(IH5Group root, string name)
    {
        if (!root.LinkExists(name))
            throw new InvalidDataException($"layer '{name}' is listed but has no group");
        IH5Group group = root.Group(name);
        string[] weightNames = group.AttributeExists("weight_names") ? Names(group.Attribute("weight_names")) : [];
        var weights = weightNames.Select(weightName =>
        {
            IH5Dataset dataset = group.Dataset(weightName);
            return new KerasWeight(weightName, dataset.Space.Dimensions.Select(d => (long)d).ToArray(), dataset);
        });
        return new KerasLayer(name, weights.ToArray());
    }
}
