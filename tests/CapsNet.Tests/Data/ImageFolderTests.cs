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
                (data.Train.Pixels[4, 0, y, x].item<byte>(), data.Train.Pixels[4, 1, y, x].item<byte>(), data.Train.Pixels[4, 2, y, x].item<byte>()));
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
}
