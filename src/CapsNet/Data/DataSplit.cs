namespace CapsNet.Data;

internal enum DataSplit
{
    Train,
    Test,
}
