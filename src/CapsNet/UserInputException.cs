namespace CapsNet;

/// <summary>
/// A problem with what the user gave the tool (a flag, a file, a folder). Its message is shown as is,
/// on one line, without a stack trace.
/// </summary>
internal class UserInputException : Exception
{
    public UserInputException(string message)
        : base(message)
    {
    }

    public UserInputException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
