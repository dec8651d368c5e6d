namespace CapsNet.Data;

/// <summary>Where a pass over a split gets its batches: images held in memory, or pairs drawn afresh each epoch.</summary>
internal interface IBatchSource
{
    /// <summary>The images of one pass.</summary>
    int Count { get; }

    /// <summary>Batches per pass: whole batches only when training (like Keras' steps_per_epoch), all images otherwise.</summary>
    int BatchCount(int batchSize, bool dropLast);

    /// <summary>
    /// One pass. For training, <paramref name="epoch"/>'s pass, in the order <paramref name="random"/> draws, with
    /// images shifted by up to <paramref name="shiftFraction"/> of their side where the source shifts them; without
    /// <paramref name="random"/>, the images in order, unchanged.
    /// </summary>
    IEnumerable<Batch> Batches(int batchSize, Random? random = null, double shiftFraction = 0, bool dropLast = false, int epoch = 0);
}
