namespace CapsNet.Data;

/// <summary>
/// <paramref name="Count"/> MultiMNIST pairs as bytes (0-255) on canvases of <paramref name="Side"/> x Side:
/// <paramref name="Images"/> [Count,1,Side,Side] the overlaid digits, <paramref name="Targets"/> [Count,2,Side,Side]
/// each digit's own shifted image (first, then second: the reconstruction target of each digit's capsule) and
/// <paramref name="Labels"/> [Count,2] their classes in the same order.
/// </summary>
internal sealed record MultiMnistBatch(int Count, int Side, byte[] Images, byte[] Targets, long[] Labels);
