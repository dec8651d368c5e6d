namespace CapsNet.Inference;

/// <summary>No weights were given and save_dir has no trained model to predict with.</summary>
internal sealed class NoModelException(string weights)
    : UserInputException($"No model to predict with: there is no '{weights}'.")
{
}
