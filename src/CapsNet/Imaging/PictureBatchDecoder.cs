using System.Runtime.ExceptionServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CapsNet.Imaging;

/// <summary>
/// Decodes and prepares many pictures in parallel within a fixed memory budget, so that eight 100-megapixel PNGs
/// or a hundred 12-megapixel photos need no more memory than a few of them. Each picture's cost is known from its
/// header before it is decoded (<see cref="PictureFile.DecodedBytes"/> and the preparation's working copies per
/// pixel); pictures start in input order, each once the pictures in flight leave room for it, and one over the
/// whole budget runs alone. Only the prepared results are kept, in input order; a file that cannot be read is
/// recorded with its index and reason, and the others go on.
/// </summary>
internal sealed class PictureBatchDecoder
{
    /// <summary>1 GiB: a 100-megapixel picture with MNIST's preparation alone, or eight 12-megapixel photos at once.</summary>
    public const long DefaultBudgetBytes = 1L << 30;

    /// <summary>
    /// What <see cref="ModelInput.From"/> holds per pixel of the picture on top of the decoded RGB, at most: MNIST's
    /// preparation keeps a float of grey per pixel (4 bytes) and a 16-bit copy of the ink's box, up to the whole
    /// picture (2 bytes). The colour preparation resizes from the picture and holds far less.
    /// </summary>
    public const double ModelInputBytesPerPixel = 4 + 2;

    private readonly MemoryBudget _budget;
    private readonly int _parallelism;
    private readonly double _preparationBytesPerPixel;
    private long _letGoSinceCollection;

    /// <param name="budgetBytes">The decoded pictures and the preparations' copies that may be held at once.</param>
    /// <param name="parallelism">Pictures decoded at once at most; the processor count when null.</param>
    /// <param name="preparationBytesPerPixel">The bytes per picture pixel <c>prepare</c> holds besides the decoded picture.</param>
    public PictureBatchDecoder(long budgetBytes = DefaultBudgetBytes, int? parallelism = null,
        double preparationBytesPerPixel = ModelInputBytesPerPixel)
    {
        _budget = new MemoryBudget(budgetBytes);
        _parallelism = parallelism ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(_parallelism, 1, nameof(parallelism));
        ArgumentOutOfRangeException.ThrowIfNegative(preparationBytesPerPixel);
        _preparationBytesPerPixel = preparationBytesPerPixel;
    }

    /// <summary>The most the pictures in flight were estimated to hold at once, over every batch decoded so far.</summary>
    public long PeakEstimatedBytes => _budget.PeakInFlight;

    /// <summary>
    /// Each picture of <paramref name="paths"/> decoded (<see cref="ImageReader"/>'s checks, transparency on a page)
    /// and passed to <paramref name="prepare"/>, whose result is kept and the picture let go. A
    /// <see cref="UserInputException"/> from reading or preparing a picture is that picture's failure.
    /// <paramref name="progress"/> hears the count of pictures done, one call at a time.
    /// </summary>
    public PictureBatch<T> Decode<T>(IReadOnlyList<string> paths, Func<Image<Rgb24>, T> prepare, Action<int>? progress = null)
        where T : class
    {
        var results = new T?[paths.Count];
        var failures = new List<(int Index, string Problem)>();
        ExceptionDispatchInfo? unexpected = null;
        int next = -1, done = 0, firstTurn = _budget.TakeTurns(paths.Count);
        void Work()
        {
            try
            {
                for (int i = Interlocked.Increment(ref next); i < paths.Count; i = Interlocked.Increment(ref next))
                {
                    string? problem = DecodeOne(paths[i], firstTurn + i, prepare, out results[i]);
                    lock (failures)
                    {
                        if (problem is not null)
                            failures.Add((i, problem));
                        progress?.Invoke(++done);
                    }
                }
            }
            catch (Exception e)
            {
                // A bug, not a bad file: the other workers finish the picture they hold and stop, and the caller sees it.
                Interlocked.CompareExchange(ref unexpected, ExceptionDispatchInfo.Capture(e), null);
                Interlocked.Exchange(ref next, paths.Count);
            }
        }
        // Threads of their own: the thread pool adds threads to work that waits, and each would hold a picture.
        Thread[] workers = [.. Enumerable.Range(0, Math.Min(_parallelism, Math.Max(1, paths.Count))).Select(_ => new Thread(Work))];
        foreach (Thread worker in workers)
            worker.Start();
        foreach (Thread worker in workers)
            worker.Join();
        _budget.SkipTo(firstTurn + paths.Count);
        unexpected?.Throw();
        return new PictureBatch<T>(results, [.. failures.OrderBy(f => f.Index)]);
    }

    private string? DecodeOne<T>(string path, int turn, Func<Image<Rgb24>, T> prepare, out T? result)
        where T : class
    {
        result = null;
        long cost = 0;
        bool admitted = false;
        try
        {
            using PictureFile file = PictureFile.Open(path);
            cost = file.DecodedBytes + (long)(file.Width * (long)file.Height * _preparationBytesPerPixel);
            _budget.Acquire(turn, cost);
            admitted = true;
            using Image<Rgb24> image = file.Decode();
            result = prepare(image);
            return null;
        }
        catch (UserInputException e)
        {
            return e.Message;
        }
        finally
        {
            if (admitted)
                LetGo(cost);
            else
                _budget.Acquire(turn, 0);  // a picture refused before decoding still takes its turn, so the next may have its own
        }
    }

    /// <summary>
    /// Returns a picture's bytes to the budget, and collects the garbage each time half the budget has been let go.
    /// The preparation's arrays (a float per pixel) live on .NET's large object heap, which the runtime collects
    /// when it sees fit, on a machine with much memory after gigabytes: eight 100-megapixel pictures decoded one
    /// at a time peaked at 2.7 GB, 0.8 GB with these collections (bench/CapsNet.MemoryBench).
    /// </summary>
    private void LetGo(long cost)
    {
        _budget.Release(cost);
        if (Interlocked.Add(ref _letGoSinceCollection, cost) < _budget.Bytes / 2)
            return;
        Interlocked.Exchange(ref _letGoSinceCollection, 0);
        GC.Collect();
    }
}
