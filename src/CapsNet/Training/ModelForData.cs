using CapsNet.Data;
using CapsNet.Interop;
using CapsNet.Model;

namespace CapsNet.Training;

/// <summary>The network a data set needs: the architecture given, with the data's image shape and classes.</summary>
internal static class ModelForData
{
    public static CapsNetConfig Fit(CapsNetConfig architecture, DataSet data)
    {
        var config = architecture with
        {
            InputChannels = data.Channels, InputSide = data.Side, Classes = data.ClassNames.Count, ClassNames = data.ClassNames,
            Dataset = data.Name, LabelsPerImage = data.LabelsPerImage,
        };
        try
        {
            return config.Validate();
        }
        catch (ImageTooSmallException e)
        {
            throw e.In(data.Name, data.Resizable);
        }
    }

    /// <summary>Fails unless <paramref name="weights"/> fit a network for <paramref name="wanted"/>.</summary>
    public static void EnsureFits(GivenWeights weights, CapsNetConfig wanted, string data)
    {
        if (!weights.Config.SameShape(wanted))
            throw new UserInputException($"Weights '{weights.Source}' are for {weights.Config.Shape}; the data set '{data}' has " +
                $"{wanted.Shape}.");
    }
}
