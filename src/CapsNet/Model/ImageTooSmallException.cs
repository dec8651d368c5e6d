namespace CapsNet.Model;

/// <summary>Images whose side leaves CapsNet's convolutions no capsule grid; enlarging them is the way out.</summary>
internal sealed class ImageTooSmallException(int side, int minimum, string convolutions, string? where = null)
    : UserInputException($"Images of side {side}{(where is null ? "" : $" in '{where}'")} are too small for CapsNet's {convolutions}: " +
        $"the smallest side is {minimum}.")
{
    public int Minimum => minimum;

    /// <summary>The same fact, naming the data the images came from.</summary>
    public ImageTooSmallException In(string data) => new(side, minimum, convolutions, data);
}
