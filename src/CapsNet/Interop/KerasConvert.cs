using CapsNet.Model;

namespace CapsNet.Interop;

/// <summary><c>capsnet convert</c>'s work: the reference's Keras weights kept in our format.</summary>
internal static class KerasConvert
{
    /// <summary>
    /// Writes the Keras weights at <paramref name="from"/> as our weights file <paramref name="to"/> with its .json;
    /// returns the network they belong to.
    /// </summary>
    public static CapsNetConfig Convert(string from, string to, int routings)
    {
        if (!KerasWeights.IsHdf5(from))
            throw new UserInputException($"'{from}' is not a Keras .h5 weights file (no HDF5 signature); convert reads those.");
        OutputPath.EnsureNotInput(to, from);
        OutputPath.EnsureNotInput(ConfigFile.PathFor(to), from);
        OutputPath.EnsureDistinct(to, "the weights", ConfigFile.PathFor(to), "their .json description");
        using var weights = GivenWeights.Open(from, routings);
        MemoryPlan.EnsureFits(weights.Config, batchSize: 1, training: false, Precision.Fp32);
        using var model = new CapsuleNetwork(weights.Config);
        weights.LoadInto(model);
        OutputFolder.PrepareFor(to);
        WeightsFile.Save(model, to);
        return weights.Config;
    }
}
