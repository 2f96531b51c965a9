using Google.Protobuf;
using RLKit.Nn;
using RLKit.Onnx.Graph;
using RLKit.Serialization;
using RLKit.Training;
using DataType = RLKit.Onnx.Schema.TensorProto.Types.DataType;

namespace RLKit.Onnx;

/// <summary>
/// Writes an RLKit agent's acting network as an ONNX model (IR version <see cref="IrVersion"/>, default-domain opset
/// <see cref="Opset"/>), for ONNX Runtime or any other ONNX consumer. The same call is <c>rl.Model.ExportOnnx(agent, path)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every model has one input <see cref="OnnxNames.Observation"/>, float32 [batch, observation size] (observations
/// flattened row-major, batch size free), plus <see cref="OnnxNames.ActionMask"/> for masked heads. Outputs by agent:
/// </para>
/// <list type="table">
/// <listheader><term>Agent</term><description>Outputs</description></listheader>
/// <item><term>PPO, A2C, REINFORCE (discrete or ActionSet)</term><description>logits, probabilities, action (int64), value</description></item>
/// <item><term>PPO, A2C, REINFORCE (Box)</term><description>action (the Gaussian's mean clipped to the box), value</description></item>
/// <item><term>DQN, soft Q-learning</term><description>q_values, action (int64)</description></item>
/// <item><term>discrete SAC</term><description>logits, probabilities, action (int64, plus the Discrete space's start)</description></item>
/// <item><term>SAC, TD3, DDPG</term><description>action: tanh output rescaled to the box</description></item>
/// <item><term>Distral</term><description>logits, probabilities, action (int64) of π0, or of task i's π_i with <see cref="OnnxExportOptions.Task"/></description></item>
/// </list>
/// <para>
/// The model is the network in evaluation mode, as greedy acting runs it: its "action" output equals the agent's
/// <c>Act(…, deterministic: true)</c>. Mix &amp; Mask networks are written with every mix, mask and skip connection;
/// their Gaussian features contribute their mean, their batch norms their running statistics. The weights are copied
/// in as initializers named after the agent's own tensors ("actor.0.weight"). Stochastic acting is not exported;
/// sample from "probabilities" when you need it.
/// </para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The default-domain operator set the models use (LayerNormalization needs 17; ONNX Runtime 1.14 and later run it).</summary>
    public const int Opset = 17;

    /// <summary>The ONNX IR version of the models (8, that of ONNX 1.12, the release that introduced opset 17).</summary>
    public const int IrVersion = 8;

    /// <summary>Writes <paramref name="agent"/>'s acting network to <paramref name="path"/>, replacing any file there atomically.</summary>
    /// <param name="agent">A trained agent of a supported algorithm (see the remarks).</param>
    /// <param name="path">The model file (conventionally <c>*.onnx</c>); its directory must exist. It is written to a temporary file in that directory and renamed.</param>
    /// <param name="options">What to fold in or add; the defaults when null.</param>
    /// <exception cref="NotSupportedException">If the agent, its network or one of its modules cannot be exported; the message names it.</exception>
    /// <exception cref="ArgumentException">If <paramref name="path"/> is empty or a directory, or an option does not fit the agent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If <see cref="OnnxExportOptions.Task"/> is out of range.</exception>
    /// <exception cref="DirectoryNotFoundException">If the directory of <paramref name="path"/> does not exist.</exception>
    public static void Export(IAgent agent, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        // Build first: an agent that cannot be exported leaves no file behind, not even a temporary one.
        var bytes = AgentGraphs.Build(agent, options ?? new OnnxExportOptions()).ToByteArray();
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes <paramref name="agent"/>'s acting network to <paramref name="stream"/> (for example to serve it from memory).</summary>
    /// <inheritdoc cref="Export(IAgent, string, OnnxExportOptions?)"/>
    /// <param name="agent">A trained agent of a supported algorithm.</param>
    /// <param name="stream">A writable stream; it is not closed.</param>
    /// <param name="options">What to fold in or add; the defaults when null.</param>
    public static void Export(IAgent agent, Stream stream, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(stream);
        AgentGraphs.Build(agent, options ?? new OnnxExportOptions()).WriteTo(stream);
    }

    /// <summary>
    /// Writes a plain network — a <see cref="Linear"/>, <see cref="Mlp"/>, <see cref="LayerNorm"/> or
    /// <see cref="BatchNorm1d"/> (with its running statistics) — as a model with input "input" float32 [batch,
    /// <paramref name="inputSize"/>] and output "output", replacing any file at <paramref name="path"/> atomically.
    /// </summary>
    /// <exception cref="NotSupportedException">For any other module; the message names it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="inputSize"/> is not the network's input width.</exception>
    /// <exception cref="ArgumentException">If <paramref name="path"/> is empty or a directory.</exception>
    /// <exception cref="DirectoryNotFoundException">If the directory of <paramref name="path"/> does not exist.</exception>
    public static void Export(Layer network, int inputSize, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        int expected = network switch
        {
            Linear linear => linear.InFeatures,
            Mlp mlp => mlp.InputSize,
            LayerNorm norm => norm.Features,
            BatchNorm1d norm => norm.Channels,
            _ => inputSize, // NnNodes.Layer names the unsupported module below.
        };
        if (inputSize != expected)
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"Export: {network} reads inputs of width {expected}; got inputSize = {inputSize}.");
        var g = new OnnxGraphBuilder(network.GetType().Name);
        string x = g.Input("input", DataType.Float, "the network's input", inputSize);
        string y = NnNodes.Layer(g, x, network, "network");
        int outputSize = network switch { Linear linear => linear.OutFeatures, Mlp mlp => mlp.OutputSize, _ => inputSize };
        g.Output(y, "output", DataType.Float, "the network's output", outputSize);
        var bytes = g.Build($"RLKit {network}. ONNX opset {Opset}.\n" + string.Join("\n", g.Signature), [new("rlkit.module", network.ToString())]).ToByteArray();
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}
