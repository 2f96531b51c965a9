using RLKit.Nn;
using static RLKit.Onnx.Graph.OnnxGraphBuilder;

namespace RLKit.Onnx.Graph;

/// <summary>
/// RLKit.Nn modules as ONNX nodes, each computing what the module's <c>Forward</c> computes: Linear as Gemm (or MatMul
/// and Add past rank 2), activations as their ONNX operators (GELU as its exact erf form), LayerNorm as
/// LayerNormalization, BatchNorm1d (evaluation mode, running statistics) as BatchNormalization, Conv1d as Conv.
/// Initializers take the module's own tensor names ("actor.0.weight").
/// </summary>
internal static class NnNodes
{
    /// <summary>The modules <see cref="Layer"/> can write, for error messages.</summary>
    public const string SupportedLayers = "Linear, Mlp, LayerNorm, BatchNorm1d (evaluation mode)";

    /// <summary>Any supported one-input layer on [batch, features].</summary>
    /// <exception cref="NotSupportedException">Naming the module and <paramref name="path"/> for any other layer.</exception>
    public static string Layer(OnnxGraphBuilder g, string x, Layer layer, string path) => layer switch
    {
        Linear linear => Linear(g, x, linear, path),
        Mlp mlp => Mlp(g, x, mlp, path),
        LayerNorm norm => LayerNorm(g, x, norm, path),
        BatchNorm1d norm => BatchNorm(g, x, norm, path),
        _ => throw Unsupported(layer, path, SupportedLayers),
    };

    /// <summary>The error for a module the exporter cannot write.</summary>
    public static NotSupportedException Unsupported(object module, string path, string supported) =>
        new($"RLKit.Onnx cannot export the module {module.GetType().Name} ({module}) at '{path}'; it writes {supported}.");

    /// <summary>y = x Wᵀ + b over the last axis; <paramref name="rank"/> is the input's rank (Gemm needs 2).</summary>
    public static string Linear(OnnxGraphBuilder g, string x, Linear linear, string path, int rank = 2)
    {
        if (rank == 2)
        {
            string w = g.Weight(path + ".weight", linear.Weight);
            string[] inputs = linear.Bias is { } bias ? [x, w, g.Weight(path + ".bias", bias)] : [x, w];
            return g.Node("Gemm", path, inputs, Int("transB", 1));
        }
        // Gemm takes matrices only: a rank-3 input multiplies by the transposed weight [in, out] and adds the bias.
        string transposed = g.Weight(path + ".weight_t", Transpose(linear), [linear.InFeatures, linear.OutFeatures]);
        string y = g.Node("MatMul", path, [x, transposed]);
        return linear.Bias is { } b ? g.Node("Add", path, [y, g.Weight(path + ".bias", b)]) : y;
    }

    /// <summary>Linear → [LayerNorm] → activation per hidden layer, then Linear → output activation, as <see cref="Nn.Mlp.Forward"/>.</summary>
    public static string Mlp(OnnxGraphBuilder g, string x, Mlp mlp, string path)
    {
        var h = x;
        for (int i = 0; i < mlp.Layers.Count; i++)
        {
            string layerPath = $"{path}.{i}";
            h = Linear(g, h, mlp.Layers[i], layerPath);
            if (i == mlp.Layers.Count - 1) return Activation(g, h, mlp.OutputActivation, layerPath);
            if (mlp.Norms[i] is { } norm) h = LayerNorm(g, h, norm, $"{path}.norm{i}");
            h = Activation(g, h, mlp.HiddenActivation, layerPath);
        }
        return h;
    }

    /// <summary>The elementwise nonlinearity; the identity adds no node.</summary>
    public static string Activation(OnnxGraphBuilder g, string x, Activation activation, string path) => activation.Kind switch
    {
        ActivationKind.Identity => x,
        ActivationKind.ReLU => g.Node("Relu", path, [x]),
        ActivationKind.Tanh => g.Node("Tanh", path, [x]),
        ActivationKind.Sigmoid => g.Node("Sigmoid", path, [x]),
        ActivationKind.LeakyReLU => g.Node("LeakyRelu", path, [x], Float("alpha", activation.Parameter)),
        ActivationKind.ELU => g.Node("Elu", path, [x], Float("alpha", activation.Parameter)),
        ActivationKind.GELU => Gelu(g, x, path),
        _ => throw Unsupported(activation, path, "the activations Identity, ReLU, Tanh, Sigmoid, LeakyReLU, ELU and GELU"),
    };

    /// <summary>Layer normalisation over the last axis (LayerNormalization, opset 17).</summary>
    public static string LayerNorm(OnnxGraphBuilder g, string x, LayerNorm norm, string path)
    {
        // LayerNormalization needs a scale; a norm without the affine transform scales by one and shifts by zero.
        var ones = new float[norm.Features];
        Array.Fill(ones, 1f);
        string scale = norm.Weight is { } w ? g.Weight(path + ".weight", w) : g.Weight(path + ".weight", ones, [norm.Features]);
        string bias = norm.Bias is { } b ? g.Weight(path + ".bias", b) : g.Weight(path + ".bias", new float[norm.Features], [norm.Features]);
        return g.Node("LayerNormalization", path, [x, scale, bias], Int("axis", -1), Float("epsilon", norm.Epsilon));
    }

    /// <summary>Batch normalisation with the running statistics (evaluation mode), over axis 1 of [B, C] or [B, C, L].</summary>
    /// <exception cref="NotSupportedException">If the layer keeps no running statistics (it would normalise with the batch's).</exception>
    public static string BatchNorm(OnnxGraphBuilder g, string x, BatchNorm1d norm, string path)
    {
        if (norm.RunningMean is null || norm.RunningVar is null)
            throw new NotSupportedException(
                $"RLKit.Onnx cannot export {norm} at '{path}': it keeps no running statistics, so it normalises every batch with that batch's own, which an exported model cannot reproduce row by row.");
        int c = norm.Channels;
        var ones = new float[c];
        Array.Fill(ones, 1f);
        string scale = norm.Weight is { } w ? g.Weight(path + ".weight", w) : g.Weight(path + ".weight", ones, [c]);
        string bias = norm.Bias is { } b ? g.Weight(path + ".bias", b) : g.Weight(path + ".bias", new float[c], [c]);
        return g.Node("BatchNormalization", path,
            [x, scale, bias, g.Weight(path + ".running_mean", norm.RunningMean), g.Weight(path + ".running_var", norm.RunningVar)],
            Float("epsilon", norm.Epsilon));
    }

    /// <summary>A 1-D convolution of [B, C, L] (Conv with a one-dimensional kernel, symmetric zero padding).</summary>
    public static string Conv1d(OnnxGraphBuilder g, string x, Conv1d conv, string path)
    {
        string w = g.Weight(path + ".weight", conv.Weight);
        string[] inputs = conv.Bias is { } bias ? [x, w, g.Weight(path + ".bias", bias)] : [x, w];
        return g.Node("Conv", path, inputs,
            Ints("kernel_shape", conv.KernelSize), Ints("strides", conv.Stride), Ints("pads", conv.Padding, conv.Padding));
    }

    // Exact GELU, x·Φ(x) = ½·x·(1 + erf(x/√2)), as RLKit computes it (the Gelu operator arrives only in opset 20).
    private static string Gelu(OnnxGraphBuilder g, string x, string path)
    {
        string scaled = g.Node("Mul", path, [x, g.Scalar(path + ".inv_sqrt2", 1f / MathF.Sqrt(2f))]);
        string onePlusErf = g.Node("Add", path, [g.Node("Erf", path, [scaled]), g.Scalar(path + ".one", 1f)]);
        string half = g.Node("Mul", path, [x, g.Scalar(path + ".half", 0.5f)]);
        return g.Node("Mul", path, [half, onePlusErf]);
    }

    private static float[] Transpose(Linear linear)
    {
        int rows = linear.OutFeatures, cols = linear.InFeatures;
        var w = linear.Weight.AsReadOnlySpan();
        var t = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                t[c * rows + r] = w[r * cols + c];
        return t;
    }
}
