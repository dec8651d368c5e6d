namespace CapsNet.Data;

/// <summary>
/// What to load: a known data set's name or a folder, which splits, how many images, and the conversion
/// the model needs (channels and side; null = as the data is). <paramref name="ClassNames"/>, when given,
/// are the classes a trained model knows, which an image folder's labels must map to.
/// </summary>
internal sealed record DataRequest(
    string NameOrFolder,
    bool WithTrain = true,
    int? TrainSamples = null,
    int? TestSamples = null,
    int? Channels = null,
    int? ImageSize = null,
    IReadOnlyList<string>? ClassNames = null,
    int PairShift = MultiMnist.PaperShift);
