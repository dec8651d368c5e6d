namespace CapsNet;

/// <summary>
/// A mistake in what the command line says that shows only after it is parsed (a flag that contradicts the run
/// being resumed, a class the model does not have): a usage error, as the parser's own.
/// </summary>
internal sealed class UsageException(string message) : UserInputException(message)
{
}
