using CapsNet.Model;
using static TorchSharp.torch;

namespace CapsNet.Interop;

/// <summary>
/// Weights as the reference's <c>model.save_weights("trained_model.h5")</c> writes them (tf.keras 2.x or Keras 2.0.x),
/// read with PureHDF and converted to our layout.
/// </summary>
internal static class KerasWeights
{
    private static readonly byte[] Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <summary>True when the file starts with the HDF5 signature (at byte 0, or after a user block of 512 * 2^k bytes).</summary>
    public static bool IsHdf5(string path)
    {
        if (!File.Exists(path))
            return false;
        using var stream = File.OpenRead(path);
        var head = new byte[Signature.Length];
        for (long offset = 0; offset + head.Length <= stream.Length; offset = Math.Max(512, offset * 2))
        {
            stream.Position = offset;
            stream.ReadExactly(head);
            if (head.SequenceEqual(Signature))
                return true;
        }
        return false;
    }

    /// <summary>
    /// Opens a Keras weights file of capsulenet.py's CapsNet and reads the shape it fits from its weights' shapes,
    /// without reading their values. A file of another architecture is refused with one message naming each layer
    /// that differs. The caller owns the file.
    /// </summary>
    public static (KerasFile File, CapsNetConfig Config) Open(string path)
    {
        if (!File.Exists(path))
            throw new UserInputException($"Weights file '{path}' not found.");
        if (!IsHdf5(path))
            throw new UserInputException($"Weights file '{path}' is not an HDF5 file.");
        KerasFile? file = null;
        try
        {
            file = KerasFile.Open(path);
            CapsNetConfig config = KerasArchitecture.Infer(file.Layers.ToDictionary(layer => layer.Name));
            string[] problems = KerasArchitecture.Mismatches(file.Layers, config).ToArray();
            if (problems.Length > 0)
                throw new UserInputException($"Weights file '{path}' does not fit CapsNet: {string.Join("; ", problems)}.");
            return (file, config);
        }
        catch (Exception e)
        {
            file?.Dispose();
            if (e is UserInputException or OutOfMemoryException)
                throw;
            throw NotKeras(path, e);
        }
    }

    /// <summary>The weights of an opened file, in our layout, for a network of <paramref name="config"/>'s shape.</summary>
    public static Dictionary<string, Tensor> StateDict(KerasFile file, CapsNetConfig config, string path)
    {
        try
        {
            return KerasConversion.ToStateDict(file.Layers.ToDictionary(layer => layer.Name), config);
        }
        catch (Exception e) when (e is not (UserInputException or OutOfMemoryException))
        {
            throw NotKeras(path, e);
        }
    }

    /// <summary>Reads a whole Keras weights file: the shape it fits and its weights.</summary>
    public static ImportedWeights Read(string path)
    {
        var (file, config) = Open(path);
        using (file)
            return new ImportedWeights(config, StateDict(file, config, path));
    }

    private static UserInputException NotKeras(string path, Exception e)
    {
        string reason = e is InvalidDataException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        return new UserInputException($"Weights file '{path}' is not a Keras weights file ({reason}).", e);
    }
}
