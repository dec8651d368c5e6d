using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

/// <summary>
/// Compares two weights files tensor by tensor: a .pt file is a zip archive whose entries carry the time they were
/// written, so equal weights need not be equal bytes.
/// </summary>
internal static class SameWeights
{
    /// <summary>The names of the tensors that are missing from one file or differ in any element; empty when none do.</summary>
    public static string[] Differences(string expectedPath, string actualPath)
    {
        Hashtable expected = Read(expectedPath), actual = Read(actualPath);
        using var scope = NewDisposeScope();
        try
        {
            return expected.Keys.Cast<string>().Union(actual.Keys.Cast<string>())
                .Where(name => expected[name] is not Tensor a || actual[name] is not Tensor b || !a.shape.SequenceEqual(b.shape)
                    || !a.eq(b).all().item<bool>())
                .Order()
                .ToArray();
        }
        finally
        {
            foreach (object? tensor in expected.Values.Cast<object?>().Concat(actual.Values.Cast<object?>()))
                (tensor as Tensor)?.Dispose();
        }
    }

    private static Hashtable Read(string path)
    {
        using var stream = File.OpenRead(path);
        return PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: false, skipTensorRead: false);
    }
}
