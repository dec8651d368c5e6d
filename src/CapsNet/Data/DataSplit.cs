namespace CapsNet.Data;

public enum DataSplit
{
    Train,
    Test,
}
