using CapsNet.Data;
using CapsNet.Model;

namespace CapsNet.Cli;

/// <summary>Loads a data set, adding to the data layer's facts the flag that fixes them.</summary>
public static class DataLoading
{
    public static DataSet Load(DataRequest request)
    {
        DataSet data;
        try
        {
            data = DataSets.Load(request);
        }
        catch (ImageSizeException e)
        {
            throw new UserInputException($"{e.Message} Give --image_size N to resize them all to NxN.", e);
        }
        int side = data.Side;
        if (side < CapsNetConfig.MinimumSide)
        {
            data.Dispose();
            throw new UserInputException($"Images of side {side} in '{request.NameOrFolder}' are too small for CapsNet's two 9x9 " +
                $"convolutions: the smallest side is {CapsNetConfig.MinimumSide}; give --image_size {CapsNetConfig.MinimumSide} or more to enlarge them.");
        }
        return data;
    }
}
