using System.Text.Json;
using System.Text.Json.Serialization;

namespace CapsNet.Model;

/// <summary>
/// Everything that shapes a CapsNet: the input images, the classes, the routing count and every layer size, each
/// with one default (the paper's and the reference's), checked in <see cref="Validate"/>. It rebuilds the network
/// its weights belong to: it travels with them as their .json and with a training run's checkpoint.
/// </summary>
internal sealed record CapsNetConfig(
    int InputChannels = 1, int InputSide = 28, int Classes = 10, int Routings = CapsNetConfig.DefaultRoutings,
    IReadOnlyList<string>? ClassNames = null, string Dataset = "mnist")
{
    public const int DefaultRoutings = 3;

    /// <summary>
    /// More iterations than this have no use (the couplings settle within a few; the paper uses 3) and cost
    /// minutes a batch: a larger count is a typing error or a hostile file.
    /// </summary>
    public const int MaxRoutings = 20;

    /// <summary>Input sides above this need more memory than any machine this runs on has for one image.</summary>
    public const int MaxSide = 4096;

    public static CapsNetConfig Mnist { get; } = new();

    /// <summary>
    /// The classes present in each image: 1, or 2 for MultiMNIST's overlaid digits, whose model is trained and
    /// tested on both (the two longest capsules) and reconstructs each from its own capsule.
    /// </summary>
    public int LabelsPerImage { get; init; } = 1;

    /// <summary>conv1: a ReLU convolution of <see cref="Conv1Channels"/> kernels of <see cref="Conv1Kernel"/> squared, stride 1.</summary>
    public int Conv1Channels { get; init; } = 256;

    public int Conv1Kernel { get; init; } = 9;

    /// <summary>
    /// The primary capsules: a convolution of <see cref="PrimaryChannels"/> kernels (32 capsule types of
    /// <see cref="PrimaryCapsuleDim"/> at each grid position), no activation.
    /// </summary>
    public int PrimaryChannels { get; init; } = 256;

    public int PrimaryKernel { get; init; } = 9;

    public int PrimaryStride { get; init; } = 2;

    public int PrimaryCapsuleDim { get; init; } = 8;

    /// <summary>The length of each class's (digit) capsule.</summary>
    public int DigitCapsuleDim { get; init; } = 16;

    public int DecoderHidden1 { get; init; } = 512;

    public int DecoderHidden2 { get; init; } = 1024;

    /// <summary>The class names, "0", "1", ... when none were given.</summary>
    [JsonIgnore]  // derived; a read-only collection is written even so
    public IReadOnlyList<string> Names => ClassNames ?? Enumerable.Range(0, Classes).Select(c => c.ToString()).ToArray();

    /// <summary>The smallest input side that leaves the primary-capsule convolution a 1x1 grid.</summary>
    public int MinimumSide => Conv1Kernel - 1 + PrimaryKernel;

    /// <summary>"two 9x9 convolutions": what takes the input's side down to the capsule grid.</summary>
    public string Convolutions => Conv1Kernel == PrimaryKernel
        ? $"two {Conv1Kernel}x{Conv1Kernel} convolutions"
        : $"{Conv1Kernel}x{Conv1Kernel} and {PrimaryKernel}x{PrimaryKernel} convolutions";

    public int Conv1Side => InputSide - Conv1Kernel + 1;

    public int PrimaryGridSide => (Conv1Side - PrimaryKernel) / PrimaryStride + 1;

    public int PrimaryCapsuleCount => PrimaryGridSide * PrimaryGridSide * PrimaryChannels / PrimaryCapsuleDim;

    public int PixelCount => InputChannels * InputSide * InputSide;

    /// <summary>The decoder's input: every digit capsule, all but one masked.</summary>
    public int MaskedLength => Classes * DigitCapsuleDim;

    /// <summary>"1x28x28 images and 10 classes".</summary>
    public string Shape => $"{InputChannels}x{InputSide}x{InputSide} images and {Classes} classes"
        + (LabelsPerImage == 1 ? "" : $", {LabelsPerImage} an image");

    /// <summary>Whether weights made for this config fit a network for <paramref name="other"/>: the same input and classes.</summary>
    public bool SameShape(CapsNetConfig other) =>
        (InputChannels, InputSide, Classes, LabelsPerImage) == (other.InputChannels, other.InputSide, other.Classes, other.LabelsPerImage);

    /// <summary>Fails with a message the user can act on when no network can be built for this config.</summary>
    public CapsNetConfig Validate()
    {
        if (InputChannels is not (1 or 3))
            throw new UserInputException($"CapsNet takes grey (1 channel) or colour (3 channel) images, not {InputChannels} channels.");
        foreach (var (name, size) in LayerSizes())
        {
            if (size < 1)
                throw new UserInputException($"The layer size {name} must be at least 1, got {size}.");
        }
        if (PrimaryChannels % PrimaryCapsuleDim != 0)
            throw new UserInputException($"{PrimaryChannels} primary channels do not divide into capsules of {PrimaryCapsuleDim}.");
        if (InputSide < MinimumSide)
            throw new ImageTooSmallException(InputSide, MinimumSide, Convolutions);
        if (InputSide > MaxSide)
            throw new UserInputException($"Images of side {InputSide} are larger than the {MaxSide} CapsNet.NET takes.");
        if (Classes < 2)
            throw new UserInputException($"CapsNet needs at least 2 classes, got {Classes}.");
        if (ClassNames is not null && ClassNames.Count != Classes)
            throw new UserInputException($"{ClassNames.Count} class names given for {Classes} classes.");
        if (LabelsPerImage < 1 || LabelsPerImage >= Classes)
            throw new UserInputException($"Each image shows 1 to {Classes - 1} of the {Classes} classes, not {LabelsPerImage}.");
        if (ClassNames?.GroupBy(name => name).FirstOrDefault(group => group.Count() > 1) is { } repeated)
            throw new UserInputException($"The class name '{repeated.Key}' is given {repeated.Count()} times.");
        Bounds.Ensure("routings", Routings, RoutingsProblem);
        return this;
    }

    public static string? RoutingsProblem(int routings) => routings is < 1 or > MaxRoutings ? $"must be from 1 to {MaxRoutings}" : null;

    /// <summary>What is wrong with images of this side for this network, if anything.</summary>
    public string? SideProblem(int side) =>
        side < MinimumSide ? $"must be at least {MinimumSide}, the smallest side CapsNet's {Convolutions} take"
        : side > MaxSide ? $"must be at most {MaxSide}"
        : null;

    /// <summary>The architecture's sizes by their .json names, in layer order.</summary>
    public IEnumerable<(string Name, int Size)> LayerSizes() =>
        new (string Property, int Size)[]
        {
            (nameof(Conv1Channels), Conv1Channels), (nameof(Conv1Kernel), Conv1Kernel), (nameof(PrimaryChannels), PrimaryChannels),
            (nameof(PrimaryKernel), PrimaryKernel), (nameof(PrimaryStride), PrimaryStride), (nameof(PrimaryCapsuleDim), PrimaryCapsuleDim),
            (nameof(DigitCapsuleDim), DigitCapsuleDim), (nameof(DecoderHidden1), DecoderHidden1), (nameof(DecoderHidden2), DecoderHidden2),
        }.Select(size => (JsonNamingPolicy.SnakeCaseLower.ConvertName(size.Property), size.Size));
}
