using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace CapsNet.Interop;

/// <summary>Adds nodes and constant tensors to an ONNX graph, each output under a fresh name unless one is given.</summary>
internal sealed class OnnxGraphBuilder
{
    private int _count;

    public GraphProto Graph { get; } = new();

    /// <summary>Adds one node of the default domain; returns the name of its (single) output.</summary>
    public string Node(string op, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        output ??= $"{op}_{++_count}";
        var node = new NodeProto { OpType = op, Name = $"{op}_{output}", Input = { inputs }, Output = { output } };
        node.Attribute.Add(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds one node of the default domain with <paramref name="count"/> outputs; returns their names.</summary>
    public string[] Node(string op, string[] inputs, int count, params AttributeProto[] attributes)
    {
        string[] outputs = Enumerable.Range(0, count).Select(k => $"{op}_{++_count}").ToArray();
        var node = new NodeProto { OpType = op, Name = $"{op}_{outputs[0]}", Input = { inputs }, Output = { outputs } };
        node.Attribute.Add(attributes);
        Graph.Node.Add(node);
        return outputs;
    }

    /// <summary>A float32 initializer holding <paramref name="value"/>'s elements in its shape.</summary>
    public string Floats(string name, Tensor value)
    {
        using var scope = NewDisposeScope();
        float[] elements = value.detach().to_type(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        Graph.Initializer.Add(new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            Dims = { value.shape },
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(elements.AsSpan())),  // ONNX raw data is little-endian
        });
        return name;
    }

    /// <summary>A float32 initializer of shape <paramref name="dims"/> (a scalar when none).</summary>
    public string Floats(string name, float[] values, params long[] dims)
    {
        Graph.Initializer.Add(new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, Dims = { dims },
            FloatData = { values } });
        return name;
    }

    /// <summary>A float64 scalar initializer.</summary>
    public string Double(string name, double value)
    {
        Graph.Initializer.Add(new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Double, DoubleData = { value } });
        return name;
    }

    /// <summary>An int64 scalar initializer.</summary>
    public string Int64(string name, long value)
    {
        Graph.Initializer.Add(new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, Int64Data = { value } });
        return name;
    }

    /// <summary>A 1-D int64 initializer: shapes, axes.</summary>
    public string Int64s(string name, params long[] values)
    {
        Graph.Initializer.Add(new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, Dims = { values.Length },
            Int64Data = { values } });
        return name;
    }

    /// <summary>A 1-D int64 initializer under a fresh name: the bounds of one Slice.</summary>
    public string Int64s(long[] values) => Int64s($"int64s_{++_count}", values);

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { values } };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Text(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>A float32 tensor value whose dimensions are numbers or named (dynamic) sizes.</summary>
    public static ValueInfoProto FloatTensor(string name, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object dim in dims)
            shape.Dim.Add(dim is string symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim) });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float,
                Shape = shape } },
        };
    }
}
