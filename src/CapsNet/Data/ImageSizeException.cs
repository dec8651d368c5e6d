namespace CapsNet.Data;

/// <summary>Images that differ in size or are not square: resizing them all to one side is the way out.</summary>
internal sealed class ImageSizeException(string message) : UserInputException(message);
