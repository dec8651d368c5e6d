using System.Collections.Concurrent;
using System.Diagnostics;
using CapsNet;
using CapsNet.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

// Peak resident memory of predict's picture decoding, one way per process (the peak is the process's own, VmHWM):
//   pictures DIR                  writes DIR/large (8 PNGs of 10000x10000) and DIR/photos (100 JPEGs of 4000x3000)
//   all-at-once DIR/SET           decodes as PredictHandler.Prepare does today: Parallel.For over every file
//   budget DIR/SET [MiB]          decodes with PictureBatchDecoder within the budget (default 1024 MiB)
//   one FILE                      one picture: resident memory decoded, then prepared, per pixel
//   step SIDE BATCH train|test fp32|bf16 [CHANNELS]   one CapsNet step (see Steps.cs), for MemoryPlan
// Each preparation is predict's for a grey MNIST model: MNIST's digit preparation to 28x28.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: pictures DIR | all-at-once DIR/SET | budget DIR/SET [MiB] | one FILE | step SIDE BATCH train|test " +
        "fp32|bf16 [CHANNELS]");
    return 2;
}
var clock = Stopwatch.StartNew();

switch (args[0])
{
    case "pictures":
        Pictures.Write(args[1]);
        break;
    case "all-at-once":
        Report(AllAtOnce(Files(args[1])));
        break;
    case "budget":
        long budget = (args.Length > 2 ? long.Parse(args[2]) : PictureBatchDecoder.DefaultBudgetBytes >> 20) << 20;
        var decoder = new PictureBatchDecoder(budget);
        PictureBatch<float[]> batch = decoder.Decode(Files(args[1]), Prepare);
        Report(batch.Results.Count(r => r is not null));
        Console.WriteLine($"estimated peak in flight: {decoder.PeakEstimatedBytes >> 20} MiB of a {budget >> 20} MiB budget");
        break;
    case "one":
        double start = Memory.ResidentMiB();
        using (Image<Rgb24> image = ImageReader.Read(args[1]))
        {
            double decoded = Memory.PeakMiB();
            Prepare(image);
            long pixels = (long)image.Width * image.Height;
            Console.WriteLine($"one {args[1]}: {image.Width}x{image.Height}, resident {start:F0} MiB at the start, peak {decoded:F0} MiB " +
                "decoded " +
                $"({(decoded - start) * 1048576 / pixels:F1} bytes a pixel), {Memory.PeakMiB():F0} MiB prepared " +
                    $"({(Memory.PeakMiB() - start) * 1048576 / pixels:F1} bytes a pixel)");
        }
        break;
    case "step":
        Steps.Run(args[1..]);
        break;
    default:
        Console.Error.WriteLine($"unknown mode '{args[0]}'");
        return 2;
}
return 0;

void Report(int prepared) =>
    Console.WriteLine($"{args[0]} {args[1]}: {prepared} pictures prepared in {clock.Elapsed.TotalSeconds:F1} s, peak RSS {PeakMiB():F0} " +
        "MiB");

static string[] Files(string folder) => [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal)];

static float[] Prepare(Image<Rgb24> image) => ModelInput.From(image, channels: 1, side: 28, Preprocess.Auto);

// PredictHandler.Prepare as it stands: every file in a Parallel.For, each decoded whole at once.
static int AllAtOnce(string[] files)
{
    var inputs = new float[]?[files.Length];
    var failed = new ConcurrentBag<(int, string)>();
    Parallel.For(0, files.Length, i =>
    {
        try
        {
            using Image<Rgb24> image = ImageReader.Read(files[i]);
            inputs[i] = Prepare(image);
        }
        catch (UserInputException e)
        {
            failed.Add((i, e.Message));
        }
    });
    return inputs.Count(input => input is not null);
}

static double PeakMiB() => Memory.PeakMiB();

/// <summary>Pictures of the sizes people give predict: a page of ink at 100 megapixels, and camera photos.</summary>
internal static class Pictures
{
    public static void Write(string folder)
    {
        string large = Path.Combine(folder, "large"), photos = Path.Combine(folder, "photos");
        Directory.CreateDirectory(large);
        Directory.CreateDirectory(photos);
        for (int k = 0; k < 8; k++)
        {
            using Image<Rgb24> page = Page(10_000, 10_000, k);
            page.SaveAsPng(Path.Combine(large, $"page-{k}.png"), new PngEncoder { ColorType = PngColorType.Rgb,
                CompressionLevel = PngCompressionLevel.BestSpeed });
        }
        for (int k = 0; k < 100; k++)
        {
            using Image<Rgb24> photo = Photo(4000, 3000, k);
            photo.SaveAsJpeg(Path.Combine(photos, $"photo-{k:D3}.jpg"), new JpegEncoder { Quality = 85 });
        }
    }

    // White paper, a dark stroke like a 1 and a bar across: the digit fills most of the page, the worst case for cropping.
    private static Image<Rgb24> Page(int width, int height, int seed)
    {
        var page = new Image<Rgb24>(width, height, new Rgb24(245, 245, 240));
        page.ProcessPixelRows(rows =>
        {
            for (int y = height / 10; y < height * 9 / 10; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                int centre = width / 2 + (y - height / 2) / 4 + seed * 10;
                row[(centre - width / 20)..(centre + width / 20)].Fill(new Rgb24(20, 20, 30));
                if (Math.Abs(y - height * 8 / 10) < height / 30)
                    row[(width / 4)..(width * 3 / 4)].Fill(new Rgb24(20, 20, 30));
            }
        });
        return page;
    }

    // A photo of a digit on a grey desk: gradients and noise, so the JPEG is as large as a camera's.
    private static Image<Rgb24> Photo(int width, int height, int seed)
    {
        var random = new Random(seed);
        var photo = new Image<Rgb24>(width, height);
        photo.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < height; y++)
            {
                Span<Rgb24> row = rows.GetRowSpan(y);
                for (int x = 0; x < width; x++)
                {
                    bool ink = Math.Abs(x - width / 2 - (y - height / 2) / 5) < width / 40 && y > height / 5 && y < height * 4 / 5;
                    int level = ink ? 40 : 150 + x * 60 / width + y * 30 / height;
                    level += random.Next(-12, 13);
                    row[x] = new Rgb24((byte)level, (byte)(level - 5), (byte)(level - 15));
                }
            }
        });
        return photo;
    }
}
