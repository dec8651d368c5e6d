using CapsNet.Data;
using CapsNet.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace CapsNet.Tests.Data;

public sealed class ImageFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Root => _dir.File("shapes");

    [Fact]
    public void ColourImagesLoadAsOneByteTensorWithSortedClassesTakenInTurn()
    {
        ShapesFolder.Write(Root, trainPerClass: 4, testPerClass: 2);

        using var data = DataSets.Load(new DataRequest(Root));

        Assert.Equal(ShapesFolder.Classes, data.ClassNames);
        Assert.Equal(Path.GetFullPath(Root), data.Name);
        Assert.Equal(ScalarType.Byte, data.Train!.Pixels.dtype);
        Assert.Equal([12, 3, 32, 32], data.Train.Pixels.shape);
        Assert.Equal([6, 3, 32, 32], data.Test.Pixels.shape);
        Assert.Equal([0L, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], data.Train.LabelArray());
        // Training image 4 is the second of class 1 (bar-vertical): 0001.png, channel-planar.
        using var png = Image.Load<Rgb24>(Path.Combine(Root, "train", "bar-vertical", "0001.png"));
        foreach (var (x, y) in new[] { (0, 0), (5, 17), (31, 31), (16, 16) })
        {
            Rgb24 pixel = png[x, y];
            Assert.Equal((pixel.R, pixel.G, pixel.B),
                (data.Train.Pixels[4, 0, y, x].item<byte>(), data.Train.Pixels[4, 1, y, x].item<byte>(), data.Train.Pixels[4, 2, y,
                    x].item<byte>()));
        }
    }

    [Fact]
    public void GreyImagesGiveOneChannelUnlessThreeAreAsked()
    {
        ShapesFolder.Write(Root, trainPerClass: 2, testPerClass: 1, colour: false);

        using var grey = DataSets.Load(new DataRequest(Root));
        using var forced = DataSets.Load(new DataRequest(Root, Channels: 3));

        Assert.Equal(1, grey.Channels);
        Assert.Equal(3, forced.Channels);
        Assert.True(forced.Train!.Pixels[.., 1].equal(grey.Train!.Pixels[.., 0]).all().item<bool>());
    }

    [Fact]
    public void OnePixelWhoseBlueDiffersMakesTheSetColour()
    {
        ShapesFolder.Write(Root, trainPerClass: 2, testPerClass: 1, colour: false);
        string path = Path.Combine(Root, "train", "square", "0000.png");
        using (var image = Image.Load<Rgb24>(path))
        {
            image[3, 4] = new Rgb24(10, 10, 200);  // red equal to green: only blue tells it from grey
            image.SaveAsPng(path);
        }

        using var data = DataSets.Load(new DataRequest(Root));

        Assert.Equal(3, data.Channels);
    }

    [Fact]
    public void ColourMadeGreyUsesBt709Luminance()
    {
        Directory.CreateDirectory(Path.Combine(Root, "train", "a"));
        Directory.CreateDirectory(Path.Combine(Root, "train", "b"));
        Directory.CreateDirectory(Path.Combine(Root, "test", "a"));
        foreach (string path in new[] { "train/a/1.png", "train/b/1.png", "test/a/1.png" })
        {
            using var image = new Image<Rgb24>(20, 20, new Rgb24(200, 100, 50));
            image.SaveAsPng(Path.Combine(Root, path));
        }

        using var data = DataSets.Load(new DataRequest(Root, Channels: 1));

        // 0.2126*200 + 0.7152*100 + 0.0722*50 = 117.66 -> 118
        Assert.Equal(118, data.Test.Pixels[0, 0, 7, 3].item<byte>());
    }

    [Fact]
    public void EveryCommonFormatIsReadAndImageSizeResizes()
    {
        var random = new Random(4);
        foreach (var (name, save) in new (string, Action<Image, string>)[]
                 {
                     ("a.png", (i, p) => i.SaveAsPng(p)), ("b.jpg", (i, p) => i.SaveAsJpeg(p)), ("c.bmp", (i, p) => i.SaveAsBmp(p)),
                     ("d.gif", (i, p) => i.SaveAsGif(p)), ("e.tiff", (i, p) => i.SaveAsTiff(p)), ("f.webp", (i, p) => i.SaveAsWebp(p)),
                 })
        {
            foreach (string split in new[] { "train/square", "train/bar-vertical", "test/square" })
            {
                Directory.CreateDirectory(Path.Combine(Root, split));
                using Image<Rgb24> image = ShapesFolder.Draw(Path.GetFileName(split), side: 40, random, colour: true);
                save(image, Path.Combine(Root, split, name));
            }
        }

        using var data = DataSets.Load(new DataRequest(Root, ImageSize: 24));

        Assert.Equal([12, 3, 24, 24], data.Train!.Pixels.shape);
        Assert.Equal(["bar-vertical", "square"], data.ClassNames);
    }

    [Fact]
    public void ATestOnlyFolderLoadsItsClassesFromTest()
    {
        ShapesFolder.Write(Root, trainPerClass: 1, testPerClass: 2);
        Directory.Delete(Path.Combine(Root, "train"), recursive: true);

        using var data = DataSets.Load(new DataRequest(Root, WithTrain: false));

        Assert.Null(data.Train);
        Assert.Equal(ShapesFolder.Classes, data.ClassNames);
        Assert.Equal([0L, 1, 2, 0, 1, 2], data.Test.LabelArray());
    }

    [Fact]
    public void WithoutTrainingTheTrainFolderIsNotRead()
    {
        ShapesFolder.Write(Root, trainPerClass: 2, testPerClass: 1);
        File.WriteAllText(Path.Combine(Root, "train", "square", "notes.txt"), "not a picture");

        using var data = DataSets.Load(new DataRequest(Root, WithTrain: false));

        Assert.Null(data.Train);
        Assert.Equal(3, data.Test.Count);
    }

    [Fact]
    public void AModelsClassNamesGiveTheLabelsEvenWhereAClassIsMissing()
    {
        ShapesFolder.Write(Root, trainPerClass: 1, testPerClass: 2);
        Directory.Delete(Path.Combine(Root, "test", "bar-horizontal"), recursive: true);

        using var data = DataSets.Load(new DataRequest(Root, WithTrain: false, ClassNames: ShapesFolder.Classes));

        Assert.Equal(ShapesFolder.Classes, data.ClassNames);
        Assert.Equal([1L, 2, 1, 2], data.Test.LabelArray());
    }

    [Fact]
    public void ATrainingClassOfTheModelWithoutAFolderIsNamed()
    {
        ShapesFolder.Write(Root, trainPerClass: 1, testPerClass: 1);
        Directory.Delete(Path.Combine(Root, "train", "square"), recursive: true);

        Assert.Equal($"Image folder '{Root}': train/square holds no images.",
            ErrorOf(new DataRequest(Root, ClassNames: ShapesFolder.Classes)));
    }

    [Fact]
    public void AnEmptyTestClassFolderIsNamed()
    {
        ShapesFolder.Write(Root, trainPerClass: 1, testPerClass: 1);
        foreach (string file in Directory.GetFiles(Path.Combine(Root, "test", "square")))
            File.Delete(file);

        Assert.Equal($"Image folder '{Root}': test/square holds no images.", ErrorOf(new DataRequest(Root)));
    }

    [Fact]
    public void MissingSplitFoldersAreNamed()
    {
        ShapesFolder.Write(Root, trainPerClass: 1, testPerClass: 1);
        Directory.Delete(Path.Combine(Root, "train"), recursive: true);
        Assert.Equal($"Image folder '{Root}' has no train/ folder of classes.", ErrorOf(new DataRequest(Root)));

        ShapesFolder.Write(Root, trainPerClass: 1, testPerClass: 1);
        Directory.Delete(Path.Combine(Root, "test"), recursive: true);
        Assert.Equal($"Image folder '{Root}' has no test/ folder of classes.", ErrorOf(new DataRequest(Root)));
    }

    [Fact]
    public void NoClassFoldersAtAllIsNamed()
    {
        Directory.CreateDirectory(Path.Combine(Root, "train"));
        Directory.CreateDirectory(Path.Combine(Root, "test"));

        Assert.Equal($"'{Path.Combine(Root, "train")}' has 0 class folders; CapsNet needs at least 2.", ErrorOf(new DataRequest(Root)));
    }

    [Fact]
    public void SampleCapsTakeTheFirstImagesOfEachClassInTurn()
    {
        ShapesFolder.Write(Root, trainPerClass: 3, testPerClass: 3);

        using var data = DataSets.Load(new DataRequest(Root, TrainSamples: 4, TestSamples: 2));

        Assert.Equal([0L, 1, 2, 0], data.Train!.LabelArray());
        Assert.Equal([0L, 1], data.Test.LabelArray());
    }

    [Fact]
    public void ImageSizeResizesImagesThatDifferInOneSideOnly()
    {
        ShapesFolder.Write(Root, trainPerClass: 2, testPerClass: 1);
        using (var tall = new Image<Rgb24>(32, 40))
            tall.SaveAsPng(Path.Combine(Root, "train", "square", "tall.png"));
        using (var wide = new Image<Rgb24>(40, 32))
            wide.SaveAsPng(Path.Combine(Root, "train", "square", "wide.png"));

        using var data = DataSets.Load(new DataRequest(Root, ImageSize: 32));

        Assert.Equal([8, 3, 32, 32], data.Train!.Pixels.shape);
    }

    [Fact]
    public void AnImageDifferingInHeightOnlyIsNamed()
    {
        ShapesFolder.Write(Root, trainPerClass: 2, testPerClass: 1);
        using (var tall = new Image<Rgb24>(32, 33))
            tall.SaveAsPng(Path.Combine(Root, "test", "square", "tall.png"));

        var error = Assert.Throws<ImageSizeException>(() => DataSets.Load(new DataRequest(Root)));

        Assert.Equal($"Image folder '{Root}': images differ in size, 32x32 (train/bar-horizontal/0000.png) and 32x33 " +
            "(test/square/tall.png); " +
            "1 of 10 differ from the first.", error.Message);
    }

    [Fact]
    public void ImagesOfOneSizeThatIsNotSquareAreNamed()
    {
        WriteTwoClassFolder(width: 30, height: 20);

        var error = Assert.Throws<ImageSizeException>(() => DataSets.Load(new DataRequest(Root)));

        Assert.Equal($"Image folder '{Root}': images are 30x20, not square.", error.Message);
    }

    [Theory]
    [InlineData(3,
        "test/x0 is a class the model does not have (classes: a, b); test/x1 is a class the model does not have (classes: a, b); " +
                   "test/x2 is a class the model does not have (classes: a, b).")]
    [InlineData(5,
        "test/x0 is a class the model does not have (classes: a, b); test/x1 is a class the model does not have (classes: a, b); " +
                   "test/x2 is a class the model does not have (classes: a, b); and 2 more.")]
    public void ProblemsAreListedUpToThreeThenCounted(int extraClasses, string expected)
    {
        WriteTwoClassFolder(width: 20, height: 20);
        for (int i = 0; i < extraClasses; i++)
            Directory.CreateDirectory(Path.Combine(Root, "test", $"x{i}"));

        Assert.Equal($"Image folder '{Root}': {expected}", ErrorOf(new DataRequest(Root)));
    }

    /// <summary>Classes a and b, one black image each in train/ and one of a in test/.</summary>
    private void WriteTwoClassFolder(int width, int height)
    {
        foreach (string split in new[] { "train/a", "train/b", "test/a" })
        {
            Directory.CreateDirectory(Path.Combine(Root, split));
            using var image = new Image<Rgb24>(width, height);
            image.SaveAsPng(Path.Combine(Root, split, "1.png"));
        }
    }

    private static string ErrorOf(DataRequest request) => Assert.Throws<UserInputException>(() => DataSets.Load(request)).Message;

    [Fact]
    public void AHeaderDeclaringAbsurdlyManyPixelsIsRefusedBeforeDecoding()
    {
        // A 54-byte BMP header claiming 60000 x 60000 pixels (3.6 gigapixels) and no pixel data.
        string path = _dir.File("huge.bmp");
        var header = new byte[54];
        "BM"u8.CopyTo(header);
        BitConverter.GetBytes(54).CopyTo(header, 10);  // pixel data offset
        BitConverter.GetBytes(40).CopyTo(header, 14);  // BITMAPINFOHEADER
        BitConverter.GetBytes(60000).CopyTo(header, 18);
        BitConverter.GetBytes(60000).CopyTo(header, 22);
        BitConverter.GetBytes((short)1).CopyTo(header, 26);
        BitConverter.GetBytes((short)24).CopyTo(header, 28);
        File.WriteAllBytes(path, header);

        var error = Assert.Throws<UserInputException>(() => ImageReader.Read(path));

        Assert.Equal("declares 60000x60000 pixels, more than the 100,000,000 accepted", error.Message);
    }

    [Fact]
    public async Task ALinkBackUpInAClassFolderIsFollowedNeverAndTold()
    {
        WriteTwoClassFolder(width: 20, height: 20);
        string a = Path.Combine(Root, "train", "a");
        Directory.CreateDirectory(Path.Combine(a, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(a, "sub", "back"), "..");
        Directory.CreateSymbolicLink(Path.Combine(a, "up"), ".");

        using var data = await Task.Run(() => DataSets.Load(new DataRequest(Root))).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal([0L, 1], data.Train!.LabelArray());
        Assert.Equal([$"'{Path.Combine(a, "up")}' leads back to '{a}', which holds it; not followed",
            $"'{Path.Combine(a, "sub", "back")}' leads back to '{a}', which holds it; not followed"], data.Warnings);
    }

    [Fact]
    public void AnUnreadableFolderInAClassIsNamed()
    {
        WriteTwoClassFolder(width: 20, height: 20);
        string hidden = Path.Combine(Root, "train", "b", "private");
        Directory.CreateDirectory(hidden);
        // The temp folder is the test user's alone (0700); the others may read the rest.
        OutputPathTests.Sh($"chmod 755 '{_dir.Path}' && chmod 000 '{hidden}'");
        try
        {
            string message = Unprivileged.Run(() => ErrorOf(new DataRequest(Root)));

            Assert.Equal($"Image folder '{Root}': train/b/private: folder cannot be read (permission denied).", message);
        }
        finally
        {
            OutputPathTests.Sh($"chmod 755 '{hidden}'");
        }
    }
}
