namespace CapsNet.Data;

/// <summary>
/// One MultiMNIST image as a plan: the indices of its two digits in their split, their labels (different classes),
/// and each digit's shift in pixels, right (dx) and down (dy). Rendering it gives the image and each digit's own
/// shifted image; the two digits add, so which one is first only says which one the pair was drawn for.
/// </summary>
internal readonly record struct MultiMnistPair(
    int First, long FirstLabel, int FirstDx, int FirstDy,
    int Second, long SecondLabel, int SecondDx, int SecondDy);
