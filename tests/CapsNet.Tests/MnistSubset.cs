using System.Buffers.Binary;
using CapsNet.Data;

namespace CapsNet.Tests;

/// <summary>
/// The first images of MNIST's training and test splits as a folder of the four plain IDX files: for runs of a
/// real process that train on a few images, so that each does not read and checksum all 70,000 first.
/// </summary>
internal static class MnistSubset
{
    public static string Write(string folder, int train, int test)
    {
        Directory.CreateDirectory(folder);
        foreach (var (split, count) in new[] { (DataSplit.Train, train), (DataSplit.Test, test) })
        {
            using ImageSet set = IdxFolder.Load(RepoPaths.MnistDir, split, count);
            byte[] pixels = set.Pixels.data<byte>().ToArray();
            byte[] labels = set.LabelArray().Select(label => (byte)label).ToArray();
            File.WriteAllBytes(Path.Combine(folder, IdxFolder.ImagesName(split)), Idx(IdxFile.ImagesMagic, [count, 28, 28], pixels));
            File.WriteAllBytes(Path.Combine(folder, IdxFolder.LabelsName(split)), Idx(IdxFile.LabelsMagic, [count], labels));
        }
        return folder;
    }

    private static byte[] Idx(int magic, int[] dimensions, byte[] payload)
    {
        var file = new byte[4 + 4 * dimensions.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(file, magic);
        for (int d = 0; d < dimensions.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4 + 4 * d), dimensions[d]);
        payload.CopyTo(file, 4 + 4 * dimensions.Length);
        return file;
    }
}
