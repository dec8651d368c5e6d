namespace CapsNet.Data;

public enum MnistSplit
{
    Train,
    Test,
}
