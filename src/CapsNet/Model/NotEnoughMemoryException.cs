namespace CapsNet.Model;

/// <summary>A network whose step would need more memory than the machine (or the limit given) has, found before it is built.</summary>
internal sealed class NotEnoughMemoryException(string fact, int batchSize) : UserInputException(fact)
{
    /// <summary>The images a step takes: more than one, a smaller batch needs less.</summary>
    public int BatchSize => batchSize;
}
