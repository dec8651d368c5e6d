using CapsNet.Model;

namespace CapsNet.Interop;

/// <summary>
/// Weights as the reference's <c>model.save_weights("trained_model.h5")</c> writes them (tf.keras 2.x or Keras 2.0.x),
/// read with PureHDF and converted to our layout.
/// </summary>
public static class KerasWeights
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
    /// Reads a Keras weights file of capsulenet.py's CapsNet; the input and class shape follow from the weights.
    /// A file of another architecture is refused with one message naming each layer that differs.
    /// </summary>
    public static ImportedWeights Read(string path)
    {
        if (!File.Exists(path))
            throw new UserInputException($"Weights file '{path}' not found.");
        if (!IsHdf5(path))
            throw new UserInputException($"Weights file '{path}' is not an HDF5 file.");
        try
        {
            using KerasFile file = KerasFile.Open(path);
            var layers = file.Layers.ToDictionary(layer => layer.Name);
            CapsNetConfig config = KerasArchitecture.Infer(layers);
            string[] problems = KerasArchitecture.Mismatches(file.Layers, config).ToArray();
            if (problems.Length > 0)
                throw new UserInputException($"Weights file '{path}' does not fit CapsNet: {string.Join("; ", problems)}.");
            return new ImportedWeights(config, KerasConversion.ToStateDict(layers, config));
        }
        catch (Exception e) when (e is not (UserInputException or OutOfMemoryException))
        {
            string reason = e is InvalidDataException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            throw new UserInputException($"Weights file '{path}' is not a Keras weights file ({reason}).", e);
        }
    }

    /// <summary>A CapsNet of the file's shape, with <paramref name="routings"/> routing iterations, holding its weights.</summary>
    public static CapsuleNetwork ReadModel(string path, int routings = 3)
    {
        using ImportedWeights weights = Read(path);
        var model = new CapsuleNetwork(weights.Config with { Routings = routings });
        try
        {
            WeightsFile.Assign(model, weights.StateDict, path);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }
}
