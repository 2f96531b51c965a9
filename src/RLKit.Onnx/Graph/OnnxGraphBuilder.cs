using System.Globalization;
using RLKit.Onnx.Schema;
using RLKit.Tensors;
using DataType = RLKit.Onnx.Schema.TensorProto.Types.DataType;

namespace RLKit.Onnx.Graph;

/// <summary>
/// Builds one ONNX graph in the default operator domain: graph inputs and outputs, initializers (the weights, named
/// after the module tensors they copy) and nodes, each node's output named uniquely after the module it comes from.
/// Every value in the graph is referred to by its name, as in ONNX itself.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The symbolic name of the batch dimension of every input and output.</summary>
    public const string BatchDimension = "batch";

    private readonly GraphProto _graph = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string name) => _graph.Name = name;

    /// <summary>The graph's inputs and outputs, one line each ("input observation float32 [batch, 4]: …"), in declaration order.</summary>
    public IReadOnlyList<string> Signature => _signature;

    private readonly List<string> _signature = [];

    /// <summary>Declares a graph input [batch, <paramref name="features"/>…] and returns its name.</summary>
    public string Input(string name, DataType type, string description, params int[] features)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, type, features));
        _signature.Add(SignatureLine("input", name, type, features, description));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> as the graph output <paramref name="name"/> [batch, <paramref name="features"/>…].</summary>
    public void Output(string value, string name, DataType type, string description, params int[] features)
    {
        // An Identity gives the output its public name whatever node computed it; runtimes remove it when optimising.
        Claim(name);
        _graph.Node.Add(new NodeProto { OpType = "Identity", Name = name + "/Identity", Input = { value }, Output = { name } });
        _graph.Output.Add(ValueInfo(name, type, features));
        _signature.Add(SignatureLine("output", name, type, features, description));
    }

    private static string SignatureLine(string kind, string name, DataType type, int[] features, string description)
    {
        string typeName = type switch { DataType.Float => "float32", DataType.Int64 => "int64", DataType.Bool => "bool", _ => type.ToString() };
        var dims = features.Select(f => f.ToString(CultureInfo.InvariantCulture)).Prepend(BatchDimension);
        return $"{kind} {name} {typeName} [{string.Join(", ", dims)}]: {description}";
    }

    /// <summary>A float initializer copying <paramref name="tensor"/> (a module's weight), named <paramref name="name"/>.</summary>
    public string Weight(string name, Tensor tensor) => Weight(name, tensor.AsReadOnlySpan(), tensor.Shape);

    /// <summary>A float initializer of the given values and shape.</summary>
    public string Weight(string name, ReadOnlySpan<float> values, ReadOnlySpan<int> shape)
    {
        name = Unique(name);
        var proto = new TensorProto { Name = name, DataType = (int)DataType.Float };
        foreach (int d in shape) proto.Dims.Add(d);
        proto.FloatData.AddRange(values.ToArray());
        _graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>A float scalar initializer.</summary>
    public string Scalar(string name, float value) => Weight(name, [value], []);

    /// <summary>A 1-D int64 initializer (axes, shapes, indices).</summary>
    public string Int64s(string name, params long[] values)
    {
        name = Unique(name);
        var proto = new TensorProto { Name = name, DataType = (int)DataType.Int64, Dims = { values.Length } };
        proto.Int64Data.AddRange(values);
        _graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>An int64 scalar initializer.</summary>
    public string Int64Scalar(string name, long value)
    {
        name = Unique(name);
        var proto = new TensorProto { Name = name, DataType = (int)DataType.Int64 };
        proto.Int64Data.Add(value);
        _graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>Adds a node of <paramref name="opType"/> and returns the name of its (single) output.</summary>
    /// <param name="opType">The ONNX operator, e.g. "Gemm".</param>
    /// <param name="scope">Where the node comes from (a module path such as "actor.0"); names the node and its output.</param>
    /// <param name="inputs">The input value names, in the operator's order.</param>
    /// <param name="attributes">The operator's attributes.</param>
    public string Node(string opType, string scope, string[] inputs, params AttributeProto[] attributes)
    {
        string output = Unique($"{scope}/{opType}");
        var node = new NodeProto { OpType = opType, Name = output, Output = { output } };
        node.Input.AddRange(inputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>The model: this graph, the opset, the producer and the metadata.</summary>
    public ModelProto Build(string docString, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        _graph.DocString = docString;
        var model = new ModelProto
        {
            IrVersion = OnnxExporter.IrVersion,
            ProducerName = "RLKit.Onnx",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString(3) ?? "",
            Domain = "rlkit",
            DocString = docString,
            Graph = _graph,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = OnnxExporter.Opset } },
        };
        foreach (var (key, value) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, int[] features)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        foreach (int f in features) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = f });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private void Claim(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"ONNX graph: the name '{name}' is used twice.");
    }

    private string Unique(string name)
    {
        if (_names.Add(name)) return name;
        int next = _counters.GetValueOrDefault(name, 1);
        string candidate;
        do candidate = string.Create(CultureInfo.InvariantCulture, $"{name}_{next++}");
        while (!_names.Add(candidate));
        _counters[name] = next;
        return candidate;
    }
}
