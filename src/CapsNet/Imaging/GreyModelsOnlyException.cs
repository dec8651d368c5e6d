namespace CapsNet.Imaging;

/// <summary>MNIST's digit preparation was asked of a colour model: it makes grey digits.</summary>
internal sealed class GreyModelsOnlyException()
    : UserInputException("MNIST's digit preparation is for grey models; this model takes colour images");
