namespace CapsNet.Model;

/// <summary>Images whose side leaves CapsNet's convolutions no capsule grid; enlarging them is the way out.</summary>
internal sealed class ImageTooSmallException(int side, int minimum, string convolutions, string? where = null, bool resizable = false)
    : UserInputException($"Images of side {side}{(where is null ? "" : $" in '{where}'")} are too small for CapsNet's {convolutions}: " +
        $"the smallest side is {minimum}.")
{
    public int Minimum => minimum;

    /// <summary>Whether the data's images could be loaded at another side.</summary>
    public bool Resizable => resizable;

    /// <summary>The same fact, naming the data the images came from and whether they can be resized.</summary>
    public ImageTooSmallException In(string data, bool canResize) => new(side, minimum, convolutions, data, canResize);
}
