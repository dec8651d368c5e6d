namespace CapsNet.Data;

/// <summary>
/// The training images and the images validated on every epoch: the last N training images when N are
/// held out, else the test set, as the reference does (its README: the test data is the validation data).
/// </summary>
internal sealed class HeldOut : IDisposable
{
    private readonly bool _owned;

    private HeldOut(ImageSet train, ImageSet validation, bool owned)
    {
        Train = train;
        Validation = validation;
        _owned = owned;
    }

    public ImageSet Train { get; }

    public ImageSet Validation { get; }

    public static HeldOut Split(ImageSet train, ImageSet test, int? heldOut)
    {
        if (heldOut is null)
            return new HeldOut(train, test, owned: false);
        if (heldOut >= train.Count)
            throw new UserInputException($"Holding out {heldOut} of the {train.Count} training images for validation leaves none to " +
                "train on.");
        int kept = train.Count - heldOut.Value;
        return new HeldOut(train.Slice(0, kept), train.Slice(kept, heldOut.Value), owned: true);
    }

    public void Dispose()
    {
        if (!_owned)
            return;
        Train.Dispose();
        Validation.Dispose();
    }
}
