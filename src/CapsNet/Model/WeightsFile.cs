using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CapsNet.Model;

/// <summary>
/// Model weights as a PyTorch state dict (<c>torch.load(path)</c> gives an OrderedDict of tensors), with the
/// config that rebuilds their network in a .json beside them. Writes go to a temporary file that is renamed
/// into place, so a failed save leaves the old file intact.
/// </summary>
internal static class WeightsFile
{
    /// <summary>Writes the .json first, so that a weights file never stands beside a stale description.</summary>
    public static void Save(CapsuleNetwork model, string path, FaultPoints? faults = null)
    {
        OutputPath.Resolve(path);  // a folder or device there is refused before the .json is written beside it
        ConfigFile.Save(model.Config, path, faults);
        AtomicFile.Write(path, stream => StateDictWriter.Write(stream, model.state_dict().Select(p => (p.Key, p.Value)).ToList()), faults);
    }

    /// <summary>
    /// The config of the network the weights at <paramref name="path"/> belong to: its .json, else MNIST's.
    /// Routings leave no trace in the tensors: <paramref name="routings"/> stands where no .json records them.
    /// </summary>
    public static CapsNetConfig ReadConfig(string path, int routings = CapsNetConfig.DefaultRoutings)
    {
        if (!File.Exists(path))
            throw new UserInputException($"Weights file '{path}' not found.");
        return ConfigFile.Read(path) ?? CapsNetConfig.Mnist with { Routings = routings };
    }

    /// <summary>Reads a state dict into the module (see <see cref="Assign"/>).</summary>
    public static void Load(nn.Module module, string path)
    {
        // The unpickler's temporaries live in the scope: unheld, another thread's collection could free one in use.
        using var scope = NewDisposeScope();
        Hashtable stored = Read(path);
        try
        {
            Assign(module, stored, path);
        }
        finally
        {
            foreach (object? value in stored.Values)
                (value as Tensor)?.Dispose();
        }
    }

    /// <summary>
    /// Copies a state dict read from <paramref name="path"/> into the module; it must hold exactly the module's
    /// tensors with the module's shapes, every value finite.
    /// </summary>
    public static void Assign(nn.Module module, IDictionary stored, string path)
    {
        Dictionary<string, Tensor> expected = module.state_dict();
        string[] problems = Mismatches(expected, stored).ToArray();
        if (problems.Length > 0)
        {
            string json = ConfigFile.PathFor(path);
            string model = File.Exists(json) ? $"the model '{json}' describes" : "this model";
            throw new UserInputException($"Weights file '{path}' does not fit {model}: {string.Join("; ", problems)}.");
        }
        // A NaN or an infinity spreads to every score: the model would answer, and every answer would be wrong.
        string[] notFinite = expected.Keys.Select(name => NotFinite(name, (Tensor)stored[name]!)).OfType<string>().ToArray();
        if (notFinite.Length > 0)
            throw new UserInputException($"Weights file '{path}': {string.Join("; ", notFinite)}. Weights must be finite numbers: " +
                "the file is damaged or was saved by a run that diverged.");

        using var noGrad = no_grad();
        foreach (var (name, target) in expected)
            target.copy_((Tensor)stored[name]!);
    }

    private static Hashtable Read(string path)
    {
        if (!File.Exists(path))
            throw new UserInputException($"Weights file '{path}' not found.");
        if (new FileInfo(path).Length == 0)
            throw new UserInputException($"Weights file '{path}' is empty.");
        try
        {
            using var stream = File.OpenRead(path);
            // PyTorch has saved zip archives since 1.6; before, a pickle that opens with protocol 2 and a long magic number.
            Span<byte> signature = stackalloc byte[4];
            int read = stream.ReadAtLeast(signature, 4, throwOnEndOfStream: false);
            if (read == 4 && signature.SequenceEqual((ReadOnlySpan<byte>)[0x80, 0x02, 0x8a, 0x0a]))
                throw new UserInputException($"Weights file '{path}' was saved by PyTorch before 1.6, a format this tool does not " +
                    "read: load it in PyTorch and save it again with torch.save.");
            if (read < 4 || !signature.SequenceEqual("PK\u0003\u0004"u8))
                throw new UserInputException($"Weights file '{path}' is not a PyTorch state dict: not a zip archive, as " +
                    "torch.save writes.");
            stream.Position = 0;
            return PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: false, skipTensorRead: false);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or UserInputException))
        {
            throw new UserInputException($"Weights file '{path}' is not a PyTorch state dict ({e.GetType().Name}: {e.Message})", e);
        }
    }

    private static IEnumerable<string> Mismatches(Dictionary<string, Tensor> expected, IDictionary stored)
    {
        foreach (var (name, tensor) in expected)
        {
            if (!stored.Contains(name))
                yield return $"missing {name}";
            else if (stored[name] is not Tensor found)
                yield return $"{name} is not a tensor";
            else if (!found.shape.SequenceEqual(tensor.shape))
                yield return $"{name} has shape {Shape(found.shape)} but the model needs " +
                    $"{Shape(tensor.shape)}{ClassHint(name, found, tensor)}";
        }
        foreach (string name in stored.Keys.Cast<string>().Where(name => !expected.ContainsKey(name)).Order())
            yield return $"unexpected {name}";
    }

    /// <summary>What in <paramref name="tensor"/> is not a finite number, or null when all of it is.</summary>
    private static string? NotFinite(string name, Tensor tensor)
    {
        if (!tensor.is_floating_point())
            return null;
        using var scope = NewDisposeScope();
        long nan = tensor.isnan().sum().item<long>(), infinite = tensor.isinf().sum().item<long>();
        var counts = new List<string>();
        if (nan > 0)
            counts.Add($"{nan:N0} NaN value(s)");
        if (infinite > 0)
            counts.Add($"{infinite:N0} infinite value(s)");
        return counts.Count == 0 ? null : $"{name} holds {string.Join(" and ", counts)}";
    }

    private static string ClassHint(string name, Tensor found, Tensor needed) =>
        name == "digit_caps.weight" && found.shape[0] != needed.shape[0]
            ? $" (weights for {found.shape[0]} classes, the model has {needed.shape[0]})"
            : "";

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";
}
