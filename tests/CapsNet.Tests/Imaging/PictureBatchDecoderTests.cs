using CapsNet.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CapsNet.Tests.Imaging;

public sealed class PictureBatchDecoderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A grey PNG of <paramref name="side"/>x<paramref name="side"/>, every pixel <paramref name="level"/>.</summary>
    private string Picture(string name, int side, byte level)
    {
        string path = _dir.File(name);
        using var image = new Image<Rgb24>(side, side, new Rgb24(level, level, level));
        image.SaveAsPng(path);
        return path;
    }

    /// <summary>What a picture costs the budget: its RGB pixels and, with no preparation copies, nothing more.</summary>
    private static long Cost(int side) => 3L * side * side;

    [Fact]
    public void ResultsComeInInputOrderAndFailuresWithTheirIndex()
    {
        string truncated = _dir.File("cut.png");
        byte[] whole = File.ReadAllBytes(Picture("whole.png", 50, 9));
        File.WriteAllBytes(truncated, whole[..(whole.Length - 12)]);
        string text = _dir.File("notes.png");
        File.WriteAllText(text, "not a picture");
        string[] paths = [Picture("a.png", 40, 10), truncated, Picture("b.png", 30, 20), text, Picture("c.png", 20, 30),
            _dir.File("absent.png")];
        var decoder = new PictureBatchDecoder(budgetBytes: Cost(40), parallelism: 3, preparationBytesPerPixel: 0);

        PictureBatch<int[]> batch = decoder.Decode(paths, image => new[] { image.Width, image[0, 0].R });

        Assert.Equal([40, 10], batch.Results[0]!);
        Assert.Equal([30, 20], batch.Results[2]!);
        Assert.Equal([20, 30], batch.Results[4]!);
        Assert.Null(batch.Results[1]);
        Assert.Null(batch.Results[3]);
        Assert.Null(batch.Results[5]);
        Assert.Equal([1, 3, 5], batch.Problems.Select(f => f.Index));
        Assert.Equal("is truncated: the PNG data stops before its IEND chunk", batch.Problems[0].Problem);
        Assert.Equal("not an image in a known format", batch.Problems[1].Problem);
        Assert.Contains("absent.png", batch.Problems[2].Problem);
    }

    [Fact]
    public void PicturesInFlightNeverCostMoreThanTheBudget()
    {
        // Twelve pictures of three sizes; a budget for two of the small ones. Prepare holds each picture a while,
        // so that every picture the budget lets in overlaps with the others.
        int[] sides = [60, 60, 100, 60, 60, 60, 100, 60, 60, 100, 60, 60];
        string[] paths = [.. sides.Select((side, i) => Picture($"{i:D2}.png", side, (byte)i))];
        long budget = 2 * Cost(60);
        var inFlight = new List<long>();
        long peakTogether = 0, largestAlongside = 0;
        var decoder = new PictureBatchDecoder(budget, parallelism: 4, preparationBytesPerPixel: 0);

        PictureBatch<string> batch = decoder.Decode(paths, image =>
        {
            long cost = Cost(image.Width);
            lock (inFlight)
            {
                inFlight.Add(cost);
                if (inFlight.Count > 1)
                    peakTogether = Math.Max(peakTogether, inFlight.Sum());
                if (inFlight.Contains(Cost(100)))
                    largestAlongside = Math.Max(largestAlongside, inFlight.Count);
            }
            Thread.Sleep(100);
            lock (inFlight)
                inFlight.Remove(cost);
            return image.Width.ToString();
        });

        Assert.Equal(sides.Select(s => s.ToString()), batch.Results);
        Assert.Equal(2 * Cost(60), peakTogether);  // two small ones together, never more: the budget
        Assert.Equal(1, largestAlongside);  // over the budget, a large one runs alone
        Assert.Equal(Cost(100), decoder.PeakEstimatedBytes);
    }

    [Fact]
    public void TheCostIsThePicturesDecodedSizeAndThePreparationsCopies()
    {
        string png = Picture("grey.png", 100, 50), rgba = _dir.File("canvas.png"), jpeg = _dir.File("photo.jpg");
        using (var image = new Image<Rgba32>(100, 100, new Rgba32(0, 0, 0, 0)))
            image.SaveAsPng(rgba);
        using (var image = new Image<Rgb24>(100, 100))
            image.SaveAsJpeg(jpeg);

        foreach (var (path, bytesPerPixel) in new[] { (png, 3), (rgba, 4 + 3), (jpeg, 3 + 3) })
        {
            using PictureFile file = PictureFile.Open(path);
            Assert.Equal(100L * 100 * bytesPerPixel, file.DecodedBytes);
            var decoder = new PictureBatchDecoder(budgetBytes: 1L << 30, parallelism: 1, preparationBytesPerPixel: 6);
            decoder.Decode([path], image => image);
            Assert.Equal(100L * 100 * (bytesPerPixel + 6), decoder.PeakEstimatedBytes);
        }
    }

    [Fact]
    public void APreparationsRefusalIsThatPicturesFailureAndAnythingElseReachesTheCaller()
    {
        string[] paths = [Picture("a.png", 30, 1), Picture("b.png", 31, 2), Picture("c.png", 32, 3)];
        var decoder = new PictureBatchDecoder(parallelism: 2);

        PictureBatch<float[]> refused = decoder.Decode(paths, image => ModelInput.From(image, channels: 3, side: 28, Preprocess.Mnist));
        var bug = Assert.Throws<InvalidOperationException>(() =>
            decoder.Decode(paths, image => image.Width == 31 ? throw new InvalidOperationException("a bug") : new object()));

        PictureBatch<int[]> after = decoder.Decode(paths, image => new[] { image.Width });  // the same decoder goes on

        Assert.Equal(3, refused.Problems.Count);
        Assert.Equal([30, 31, 32], after.Results.Select(r => r![0]));
        Assert.All(refused.Problems, f => Assert.Equal("MNIST's digit preparation is for grey models; this model takes colour images",
            f.Problem));
        Assert.Equal("a bug", bug.Message);
    }
}
