namespace CapsNet.Data;

/// <summary>What a <see cref="PairRandom"/> draws, so that the test pairs, an epoch's order and its pairs never share draws.</summary>
internal enum PairStream
{
    TestPairs = 1,
    EpochOrder = 2,
    EpochPairs = 3,
}
