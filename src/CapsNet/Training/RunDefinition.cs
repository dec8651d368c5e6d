namespace CapsNet.Training;

/// <summary>
/// What a training run is, as its checkpoint records it: the epochs it is to train and the settings that decide
/// what it computes, as flag name and value (the command line owns their names and spelling).
/// </summary>
public sealed record RunDefinition(int Epochs, IReadOnlyDictionary<string, string> Settings);
