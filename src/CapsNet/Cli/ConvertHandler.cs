using CapsNet.Interop;
using CapsNet.Model;
using Spectre.Console;

namespace CapsNet.Cli;

/// <summary><c>capsnet convert IN.h5 OUT.pt</c>: the reference's Keras weights in our format, with their .json.</summary>
public static class ConvertHandler
{
    public static int Execute(string input, string output, int routings, IAnsiConsole console, TextWriter error) =>
        Failures.Report(error, () =>
        {
            if (!KerasWeights.IsHdf5(input))
                throw new UserInputException($"'{input}' is not a Keras .h5 weights file (no HDF5 signature); convert reads those.");
            using CapsuleNetwork model = KerasWeights.ReadModel(input, routings);
            string? folder = Path.GetDirectoryName(Path.GetFullPath(output));
            if (folder is not null)
                OutputFolder.Prepare(folder);
            WeightsFile.Save(model, output);
            console.Line($"Converted '{input}' ({ModelFactory.Shape(model.Config)}, {routings} routings) to '{output}' and '{ConfigFile.PathFor(output)}'.");
            return 0;
        });
}
