using System.Collections.Concurrent;

namespace CapsNet.Data;

/// <summary>Builds a pass's batches on a background thread a couple ahead, so that a training step never waits for data.</summary>
internal static class Prefetched
{
    private const int Ahead = 2;

    /// <summary>
    /// Batches 0 to <paramref name="count"/>-1, each made by <paramref name="build"/>; a failure surfaces where it is read.
    /// </summary>
    public static IEnumerable<Batch> Batches(int count, Func<int, Batch> build)
    {
        using var queue = new BlockingCollection<Batch>(Ahead);
        using var stop = new CancellationTokenSource();
        var producer = Task.Run(() =>
        {
            try
            {
                for (int b = 0; b < count && !stop.IsCancellationRequested; b++)
                {
                    Batch batch = build(b);
                    try
                    {
                        queue.Add(batch, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        batch.Dispose();
                        return;
                    }
                }
            }
            finally
            {
                queue.CompleteAdding();
            }
        });

        try
        {
            foreach (Batch batch in queue.GetConsumingEnumerable())
                yield return batch;
            producer.GetAwaiter().GetResult();  // a failure while building batches surfaces here, not as a short epoch
        }
        finally
        {
            stop.Cancel();
            foreach (Batch left in queue.GetConsumingEnumerable())
                left.Dispose();
        }
    }
}
