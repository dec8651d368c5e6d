namespace CapsNet.Training;

/// <summary>A class asked for by number or name that the model does not have.</summary>
internal sealed class UnknownClassException(string given, IReadOnlyList<string> names)
    : UserInputException($"{given} is not a class of this model: give a number from 0 to {names.Count - 1} or a class name" +
        (names.Count <= 20 ? $": {string.Join(", ", names)}." : "."))
{
}
