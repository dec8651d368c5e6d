using CapsNet.Data;
using CapsNet.Imaging;
using CapsNet.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace CapsNet.Training;

/// <summary>Test mode: accuracy with the predicted-class mask, the reconstruction grid and the manipulation grid.</summary>
internal sealed class Tester
{
    public const int ManipulationSteps = 11;
    public const double ManipulationStep = 0.05;

    /// <summary>Test images in real_and_recon.png: its top half, each with its reconstruction in the bottom half.</summary>
    private const int ReconstructedImages = 50;
    private const int GridColumns = 10;

    private readonly CapsuleNetwork _model;
    private readonly Device _device;

    public Tester(CapsuleNetwork model, Device device)
    {
        _model = model;
        _device = device;
    }

    /// <summary>
    /// Fraction of <paramref name="test"/> whose longest capsule is the true class; for images of K labels, whose K
    /// longest capsules are the K true classes.
    /// </summary>
    public double Accuracy(IBatchSource test, int batchSize)
    {
        _model.eval();
        using var noGrad = no_grad();
        long correct = 0;
        foreach (Batch batch in test.Batches(batchSize))
        {
            using var scope = NewDisposeScope();
            using (batch)
            {
                Tensor lengths = Capsules.Length(_model.Encode(batch.Images.to(_device)));
                Tensor labels = batch.Labels.to(_device);
                correct += labels.dim() == 1 ? CapsuleLoss.Correct(lengths, labels) : MultiLabelLoss.Correct(lengths, labels);
            }
        }
        return (double)correct / test.Count;
    }

    /// <summary>
    /// 10x10 tiles: rows 0-4 are the first 50 images (<see cref="ReconstructedImages"/>), rows 5-9 their
    /// reconstructions from the predicted class, row r+5 under row r. With fewer images the remaining tiles stay black.
    /// For images of two labels it is the paper's Figure 5: each grey input above its two reconstructions, each from
    /// one of the two longest capsules, drawn over one another in red (the longest) and green.
    /// </summary>
    public void SaveRealAndReconstructed(ImageSet test, string path)
    {
        _model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int shown = Math.Min(ReconstructedImages, test.Count);
        Tensor real = test.Images(0, shown).to(_device);  // [shown,C,H,W]
        var (_, reconstruction) = _model.forward(real, null);  // [shown,C,H,W], or [shown,2,1,H,W]
        if (reconstruction.dim() == 5)
        {
            real = real.expand(-1, 3, -1, -1);  // grey as RGB
            reconstruction = cat([reconstruction.squeeze(2), zeros_like(reconstruction[.., ..1, 0])], 1);  // red, green, no blue
        }
        Tensor tiles = zeros([2 * ReconstructedImages, real.shape[1], test.Side, test.Side]);
        tiles[..shown] = real.cpu();
        tiles[ReconstructedImages..(ReconstructedImages + shown)] = reconstruction.cpu();
        using var image = ImageGrid.Compose(tiles, columns: GridColumns);
        ImageGrid.Save(image, path);
    }

    /// <summary>The test image whose capsule is manipulated: a seeded pick among every image that shows the class.</summary>
    public static int PickManipulated(ImageSet test, int digit, int seed)
    {
        int[] candidates = test.ImagesOf(digit);
        if (candidates.Length == 0)
            throw new UserInputException($"The test set has no image of class {digit} to manipulate.");
        return candidates[new Random(seed).Next(candidates.Length)];
    }

    /// <summary>
    /// 16 rows (capsule dimensions) x 11 columns (r = -0.25..0.25 added to that dimension) of reconstructions of
    /// one seeded test image of <paramref name="digit"/>, masked with its true label, in one batch of 176.
    /// </summary>
    public void SaveManipulation(ImageSet test, int digit, int seed, string path)
    {
        int chosen = PickManipulated(test, digit, seed);

        _model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor capsules = _model.Encode(test.Images(chosen, 1).to(_device));  // [1,classes,16]
        int dims = (int)capsules.shape[2];
        Tensor perturbed = capsules.repeat(dims * ManipulationSteps, 1, 1);  // [176,classes,16]
        var offsets = new float[dims * ManipulationSteps * dims];  // [176,16]: row dim, column r
        for (int dim = 0; dim < dims; dim++)
            for (int column = 0; column < ManipulationSteps; column++)
                offsets[(dim * ManipulationSteps + column) * dims + dim] = (float)((column - ManipulationSteps / 2) * ManipulationStep);
        perturbed[.., digit].PlusInPlace(tensor(offsets, [dims * ManipulationSteps, dims]).to(_device));
        using Scalar label = digit.ToScalar();
        Tensor mask = nn.functional.one_hot(full([dims * ManipulationSteps], label, ScalarType.Int64, _device), capsules.shape[1]);
        Tensor images = _model.Decode(perturbed, mask);
        using var image = ImageGrid.Compose(images, columns: ManipulationSteps);
        ImageGrid.Save(image, path);
    }
}
