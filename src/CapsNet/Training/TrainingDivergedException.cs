namespace CapsNet.Training;

/// <summary>The loss became NaN or infinite; training stops and keeps the files of the last finished epoch.</summary>
internal sealed class TrainingDivergedException(int epoch, int batch, double loss)
    : Exception($"Training diverged: the loss is {loss} at epoch {epoch + 1}, batch {batch}. The files of the last finished epoch are " +
        "kept.")
{
}
