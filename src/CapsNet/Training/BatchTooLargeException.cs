namespace CapsNet.Training;

/// <summary>Not one whole batch of training images: the batch is larger than what is left to train on.</summary>
internal sealed class BatchTooLargeException(int batch, int images, int? heldOut)
    : UserInputException($"A batch of {batch} is larger than the {images} training images"
        + (heldOut is null ? "." : $" left after holding out {heldOut}."))
{
    public int Batch => batch;
    public int Images => images;
    public int? HeldOut => heldOut;
}
