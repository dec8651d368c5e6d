using CapsNet.Data;
using CapsNet.Imaging;
using CapsNet.Model;
using CapsNet.Tests.Model;
using CapsNet.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Tests.Training;

public sealed class TesterTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ImageSet _test = IdxFolder.Load(RepoPaths.MnistDir, DataSplit.Test, maxSamples: 120);
    private readonly CapsuleNetwork _model = new(CapsNetConfig.Mnist, new Generator(4));

    public void Dispose()
    {
        _model.Dispose();
        _test.Dispose();
        _dir.Dispose();
    }

    private static byte Pixel(Tensor images, int index, int row, int col) => ImageGrid.ToByte(images[index, 0, row, col].item<float>());

    [Fact]
    public void AccuracyIsTheShareOfAllImagesWhoseLongestCapsuleIsTheirLabel()
    {
        using CapsuleNetwork grown = GrownNetwork.Build();
        long[] labels = _test.LabelArray();
        int right = 0;
        using (no_grad())
        {
            for (int i = 0; i < _test.Count; i++)  // one image at a time, apart from the batching under test
            {
                using var scope = NewDisposeScope();
                if (Capsules.Length(grown.Encode(_test.Images(i, 1))).argmax(1).item<long>() == labels[i])
                    right++;
            }
        }
        Assert.InRange(right, 1, _test.Count - 1);  // neither none nor all, so the share says something

        // Batches of 50, 50 and 20: the share is of all 120 images, not a mean over batches.
        double accuracy = new Tester(grown, CPU).Accuracy(new BatchLoader(_test), batchSize: 50);

        Assert.Equal(right / 120.0, accuracy, 12);
    }

    [Fact]
    public void AccuracyOfImagesOfTwoLabelsIsTheShareWhoseTwoLongestCapsulesAreTheirTwoLabels()
    {
        // Six random 20x20 images on a network of four classes, labelled from their own capsule lengths: images 0, 2
        // and 4 with their two longest classes (image 2 in the other order), images 1, 3 and 5 with the longest and
        // the shortest. Three of six are right, counted over batches of 4 and 2.
        using CapsuleNetwork model = TwoLabelNetworkTests.Build(labelsPerImage: 2);
        using var generator = new Generator(8);
        using Tensor pixels = randint(0, 256, [6, 1, 20, 20], dtype: ScalarType.Byte, generator: generator);
        var labels = new long[6 * 2];
        using (no_grad())
        {
            using var scope = NewDisposeScope();
            using Tensor images = ImageSet.ToUnitFloats(pixels);
            float[] lengths = Capsules.Length(model.Encode(images)).data<float>().ToArray();
            for (int i = 0; i < 6; i++)
            {
                int[] longestFirst = Enumerable.Range(0, 4).OrderByDescending(c => lengths[i * 4 + c]).ToArray();
                (labels[2 * i], labels[2 * i + 1]) = (i % 2, i) switch
                {
                    (1, _) => (longestFirst[0], longestFirst[3]),
                    (_, 2) => (longestFirst[1], longestFirst[0]),
                    _ => (longestFirst[0], longestFirst[1]),
                };
            }
        }
        using var pairs = new ImageSet(pixels.clone(), tensor(labels, [6, 2]), zeros([6, 2, 1, 20, 20], ScalarType.Byte));

        double accuracy = new Tester(model, CPU).Accuracy(new BatchLoader(pairs), batchSize: 4);

        Assert.Equal(0.5, accuracy, 12);
    }

    [Fact]
    public void RealAndReconstructedPutsImagesAboveTheirPredictedClassReconstructions()
    {
        string path = _dir.File("real_and_recon.png");

        new Tester(_model, CPU).SaveRealAndReconstructed(_test, path);

        using var image = Image.Load<L8>(path);
        using var noGrad = no_grad();
        using Tensor real = _test.Images(0, 50);
        var (_, reconstructions) = _model.forward(real, null);
        Assert.Equal((280, 280), (image.Width, image.Height));
        foreach (int k in new[] { 0, 9, 10, 37, 49 })
        {
            int tileX = k % 10 * 28, tileY = k / 10 * 28;
            foreach (var (row, col) in new[] { (5, 5), (14, 14), (20, 9) })
            {
                Assert.Equal(Pixel(real, k, row, col), image[tileX + col, tileY + row].PackedValue);
                Assert.Equal(Pixel(reconstructions, k, row, col), image[tileX + col, tileY + 140 + row].PackedValue);
            }
        }
    }

    [Fact]
    public void RealAndReconstructedDecodesThePredictedClassNotTheLabel()
    {
        string path = _dir.File("real_and_recon.png");
        using var model = GrownNetwork.Build();

        new Tester(model, CPU).SaveRealAndReconstructed(_test, path);

        using var image = Image.Load<L8>(path);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor capsules = model.Encode(_test.Images(0, 50));
        Tensor predicted = model.Decode(capsules, nn.functional.one_hot(Capsules.Length(capsules).argmax(1), 10));
        Tensor labelled = model.Decode(capsules, nn.functional.one_hot(_test.Labels[..50], 10));
        int matchPredicted = 0, matchLabel = 0;
        for (int k = 0; k < 50; k++)
        {
            for (int row = 0; row < 28; row++)
            {
                for (int col = 0; col < 28; col++)
                {
                    byte shown = image[k % 10 * 28 + col, k / 10 * 28 + 140 + row].PackedValue;
                    matchPredicted += shown == Pixel(predicted, k, row, col) ? 1 : 0;
                    matchLabel += shown == Pixel(labelled, k, row, col) ? 1 : 0;
                }
            }
        }
        Assert.True(matchPredicted == 50 * 28 * 28, $"{50 * 28 * 28 - matchPredicted} pixels are not the predicted class's reconstruction");
        Assert.True(matchLabel < 25 * 28 * 28, $"{matchLabel} of the pixels would be the same with the label's capsule");
    }

    [Fact]
    public void ImagesOfTwoLabelsAreDrawnInGreyAboveTheirTwoReconstructionsInRedAndGreen()
    {
        // Three pairs of 20x20 (a network of four classes, two labels an image): Figure 5 of the paper.
        using CapsuleNetwork model = TwoLabelNetworkTests.Build(labelsPerImage: 2);
        using var pairs = new ImageSet(randint(0, 256, [3, 1, 20, 20], dtype: ScalarType.Byte, generator: new Generator(6)),
            tensor(new long[] { 0, 1, 2, 3, 1, 3 }, [3, 2]), zeros([3, 2, 1, 20, 20], ScalarType.Byte));
        string path = _dir.File("real_and_recon.png");

        new Tester(model, CPU).SaveRealAndReconstructed(pairs, path);

        using var image = Image.Load<Rgb24>(path);
        using var noGrad = no_grad();
        using Tensor real = pairs.Images(0, 3);
        var (_, reconstructions) = model.forward(real, null);  // [3,2,1,20,20]: the longest capsule's, then the second's
        Assert.Equal((200, 200), (image.Width, image.Height));
        for (int k = 0; k < 3; k++)
        {
            foreach (var (row, col) in new[] { (0, 0), (7, 12), (19, 3) })
            {
                byte grey = Pixel(real, k, row, col);
                Assert.Equal(new Rgb24(grey, grey, grey), image[k * 20 + col, row]);
                Assert.Equal(new Rgb24(ImageGrid.ToByte(reconstructions[k, 0, 0, row, col].item<float>()),
                    ImageGrid.ToByte(reconstructions[k, 1, 0, row, col].item<float>()), 0), image[k * 20 + col, 100 + row]);
            }
        }
        Assert.NotEqual(image[12, 107].R, image[12, 107].G);  // the two reconstructions differ, so red and green are told apart
        Assert.Equal(new Rgb24(0, 0, 0), image[3 * 20 + 5, 105]);  // a tile past the third pair stays black
    }

    [Fact]
    public void ManipulationVariesOneCapsuleDimensionPerRowAroundThePlainReconstruction()
    {
        // Grown, so that a 0.25 change of one capsule dimension shows in the decoded bytes.
        using CapsuleNetwork grown = GrownNetwork.Build();
        string path = _dir.File("manipulate-7.png");

        new Tester(grown, CPU).SaveManipulation(_test, digit: 7, seed: 5, path);

        long[] labels = _test.Labels.data<long>().ToArray();
        int[] sevens = Enumerable.Range(0, labels.Length).Where(i => labels[i] == 7).ToArray();
        int chosen = sevens[new Random(5).Next(sevens.Length)];
        using var noGrad = no_grad();
        Tensor capsules = grown.Encode(_test.Images(chosen, 1));
        Tensor sevenMask = nn.functional.one_hot(tensor(new long[] { 7 }), 10);
        Tensor Decoded(float offset)  // dimension 2 of the 7's capsule moved by offset
        {
            Tensor shifted = capsules.clone();
            using Scalar by = offset.ToScalar();
            shifted[0, 7, 2].PlusInPlace(by);
            return grown.Decode(shifted, sevenMask);
        }
        Tensor plain = grown.Decode(capsules, sevenMask), first = Decoded(-0.25f), last = Decoded(0.25f);

        using var image = Image.Load<L8>(path);
        Assert.Equal((308, 448), (image.Width, image.Height));
        byte[] Tile(int row, int column) =>
            Enumerable.Range(0, 28 * 28).Select(p => image[column * 28 + p % 28, row * 28 + p / 28].PackedValue).ToArray();
        byte[] Expected(Tensor decoded) => Enumerable.Range(0, 28 * 28).Select(p => Pixel(decoded, 0, p / 28, p % 28)).ToArray();
        Assert.NotEqual(Expected(first), Expected(last));  // the two ends differ, so the comparisons below tell them apart
        foreach (int dimension in new[] { 0, 2, 15 })
            Assert.Equal(Expected(plain), Tile(dimension, 5));  // the middle column is the plain reconstruction
        Assert.Equal(Expected(first), Tile(2, 0));  // row 2 runs from -0.25 ...
        Assert.Equal(Expected(last), Tile(2, 10));  // ... to +0.25
    }

    [Fact]
    public void ManipulationOfAMissingDigitIsNamed()
    {
        using var five = _test.Slice(0, 3);  // 7, 2, 1

        var error = Assert.Throws<UserInputException>(() => new Tester(_model, CPU).SaveManipulation(five, 5, 1, _dir.File("m.png")));

        Assert.Equal("The test set has no image of class 5 to manipulate.", error.Message);
    }
}
