using System.Collections;
using System.IO.Compression;
using System.Text;
using CapsNet.Model;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CapsNet.Tests.Model;

public sealed class StateDictWriterTests
{
    private static byte[] Written(params (string, Tensor)[] state)
    {
        var stream = new MemoryStream();
        StateDictWriter.Write(stream, state);
        return stream.ToArray();
    }

    [Fact]
    public void OneTensorIsPickledOpcodeByOpcodeAsTorchLoadReads()
    {
        using var scope = NewDisposeScope();
        Tensor a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);
        using var zip = new ZipArchive(new MemoryStream(Written(("a", a))));

        // Written out by hand from the pickle protocol: OrderedDict(), then MARK "a" _rebuild_tensor_v2(
        // persistent ("storage", FloatStorage, "0", "cpu", 6), 0, (2, 3), (3, 1), False, OrderedDict()) SETITEMS STOP.
        var expected = new List<byte> { 0x80, 2 };
        void Text(string text) => expected.AddRange(Encoding.ASCII.GetBytes(text));
        void String(string text)
        {
            expected.Add((byte)'X');
            expected.AddRange(BitConverter.GetBytes(text.Length));
            Text(text);
        }
        void Int(int value)
        {
            expected.Add((byte)'J');
            expected.AddRange(BitConverter.GetBytes(value));
        }
        Text("ccollections\nOrderedDict\n)R(");
        String("a");
        Text("ctorch._utils\n_rebuild_tensor_v2\n((");
        String("storage");
        Text("ctorch\nFloatStorage\n");
        String("0");
        String("cpu");
        Int(6);
        Text("tQ");
        Int(0);
        Text("(");
        Int(2);
        Int(3);
        Text("t(");
        Int(3);
        Int(1);
        Text("t");
        expected.Add(0x89);
        Text("ccollections\nOrderedDict\n)RtRu.");

        Assert.Equal(expected, Read(zip, "archive/data.pkl"));
        Assert.Equal(Enumerable.Range(1, 6).SelectMany(v => BitConverter.GetBytes((float)v)), Read(zip, "archive/data/0"));
        Assert.Equal("3\n", Encoding.ASCII.GetString(Read(zip, "archive/version")));
        Assert.Equal("little", Encoding.ASCII.GetString(Read(zip, "archive/byteorder")));
        Assert.All(zip.Entries, entry => Assert.Equal(entry.Length, entry.CompressedLength));  // stored, not deflated
    }

    [Fact]
    public void PyBridgeReadsBackEveryTypeAndAViewAsItsOwnValues()
    {
        using var scope = NewDisposeScope();
        Tensor wide = tensor(Enumerable.Range(0, 12).Select(i => (float)i).ToArray()).reshape(3, 4);
        Tensor view = wide.t();  // strided: written as its own contiguous values
        Tensor half = tensor(new float[] { 0.5f, -2, 1e30f }).to(ScalarType.BFloat16);
        Tensor counts = tensor(new long[] { 1, long.MaxValue });

        Hashtable read = PyTorchUnpickler.UnpickleStateDict(new MemoryStream(Written(("view", view), ("half", half), ("counts", counts))));

        Assert.Equal(["counts", "half", "view"], read.Keys.Cast<string>().Order());
        foreach (var (name, written) in new[] { ("view", view), ("half", half), ("counts", counts) })
        {
            var back = (Tensor)read[name]!;
            Assert.Equal(written.dtype, back.dtype);
            Assert.Equal(written.shape, back.shape);
            Assert.True(written.equal(back).all().item<bool>(), name);
        }
    }

    private static byte[] Read(ZipArchive zip, string name)
    {
        using var stream = new MemoryStream();
        zip.GetEntry(name)!.Open().CopyTo(stream);
        return stream.ToArray();
    }
}
