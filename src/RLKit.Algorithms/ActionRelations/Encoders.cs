using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRelations;

/// <summary>
/// AGILE's relation encoder (seed 003 §3.4, C.3.1): two graph attention layers over the complete graph of the
/// available actions (with self-loops), ELU between them, and a residual connection after the second.
/// </summary>
/// <remarks>
/// Padding is kept out by the adjacency: every node attends only to real nodes, so a padding node gets exactly zero
/// attention weight (and so zero gradient) from every real node. Heads are averaged, so the width stays
/// <c>HiddenSize</c> for any head count. The residual is projected by a bias-free linear layer when the input
/// width differs from the output width.
/// </remarks>
internal sealed class GatEncoder : ActionRelationEncoder
{
    private readonly GraphAttention _first, _second;
    private readonly Linear? _residual;

    public GatEncoder(int inputSize, int hiddenSize, RandomGenerator rng, int heads = 1, float negativeSlope = 0.2f)
        : base(inputSize, hiddenSize)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _first = RegisterModule("gat0", new GraphAttention(inputSize, hiddenSize, rng, heads, concatHeads: false, negativeSlope));
        _second = RegisterModule("gat1", new GraphAttention(hiddenSize, hiddenSize, rng, heads, concatHeads: false, negativeSlope));
        if (inputSize != hiddenSize) _residual = RegisterModule("residual", new Linear(inputSize, hiddenSize, rng, bias: false));
    }

    public override bool HasAttention => true;

    public override Tensor Encode(Tensor nodes, Tensor mask, IList<Tensor>? attention = null)
    {
        var (batch, width) = CheckInputs(nodes, mask);
        // Row i may attend to node j iff j is real: adjacency[b, i, j] = mask[b, j].
        var adjacency = mask.Reshape(batch, 1, width) * Tensor.Ones(1, width, 1);
        var (hidden, alpha0) = _first.ForwardWithAttention(nodes, adjacency);
        var (output, alpha1) = _second.ForwardWithAttention(hidden.Elu(), adjacency);
        attention?.Add(alpha0);
        attention?.Add(alpha1);
        return output + (_residual is null ? nodes : _residual.Forward(nodes));
    }
}

/// <summary>
/// AGILE-GCN's relation encoder (seed 003 C.3.1): a linear layer compresses the nodes, then two graph convolutions
/// with the symmetric-normalised, zero-diagonal adjacency of the available actions, ELU between them, and a residual
/// from the compressed nodes.
/// </summary>
internal sealed class GcnEncoder : ActionRelationEncoder
{
    private readonly Linear _compress;
    private readonly GraphConvolution _first, _second;

    public GcnEncoder(int inputSize, int hiddenSize, RandomGenerator rng)
        : base(inputSize, hiddenSize)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _compress = RegisterModule("compress", new Linear(inputSize, hiddenSize, rng));
        _first = RegisterModule("gcn0", new GraphConvolution(hiddenSize, hiddenSize, rng));
        _second = RegisterModule("gcn1", new GraphConvolution(hiddenSize, hiddenSize, rng));
    }

    public override Tensor Encode(Tensor nodes, Tensor mask, IList<Tensor>? attention = null)
    {
        CheckInputs(nodes, mask);
        var compressed = _compress.Forward(nodes);
        return _second.Forward(_first.Forward(compressed, mask).Elu(), mask) + compressed;
    }
}

/// <summary>
/// The per-action encoder of Summary-DeepSet (seed 003 C.3.2): a 2-layer ReLU MLP applied to every action on its
/// own. It relates nothing; the set information comes from the summary's mean pooling.
/// </summary>
internal sealed class DeepSetEncoder : ActionRelationEncoder
{
    private readonly Mlp _phi;

    public DeepSetEncoder(int inputSize, int hiddenSize, RandomGenerator rng)
        : base(inputSize, hiddenSize)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _phi = RegisterModule("phi", new Mlp([inputSize, hiddenSize, hiddenSize], rng, Activation.ReLU, Activation.ReLU));
    }

    public override Tensor Encode(Tensor nodes, Tensor mask, IList<Tensor>? attention = null)
    {
        CheckInputs(nodes, mask);
        return _phi.Forward(nodes);
    }
}

/// <summary>
/// The encoder of Summary-LSTM (seed 003 C.3.2): a 2-layer bidirectional LSTM over the real actions of each row in
/// slot order (ascending universe order for an <see cref="ActionSetBatch"/>); output width 2·hidden.
/// </summary>
/// <remarks>
/// Padding must not reach real outputs, but a plain Bi-LSTM over [real…, padding…] would feed the padding into the
/// backward direction first. So each layer runs two unidirectional LSTMs over sequences with the real actions packed
/// at the front: the forward LSTM over the real actions in order, the backward LSTM over them reversed (each row
/// reversed over its own length, padding still at the end), whose outputs are reversed back. Padding then only
/// ever follows real steps, and a recurrent step never looks ahead, so real outputs never depend on it. The encoder is
/// order-dependent by design: permuting the actions within the universe changes the outputs.
/// </remarks>
internal sealed class LstmEncoder : ActionRelationEncoder
{
    private const int Layers = 2;
    private readonly Lstm[] _forward, _backward;

    public LstmEncoder(int inputSize, int hiddenSize, RandomGenerator rng)
        : base(inputSize, 2 * hiddenSize)
    {
        ArgumentNullException.ThrowIfNull(rng);
        HiddenSize = hiddenSize;
        _forward = new Lstm[Layers];
        _backward = new Lstm[Layers];
        for (int layer = 0; layer < Layers; layer++)
        {
            int input = layer == 0 ? inputSize : 2 * hiddenSize;
            _forward[layer] = RegisterModule($"forward{layer}", new Lstm(input, hiddenSize, rng));
            _backward[layer] = RegisterModule($"backward{layer}", new Lstm(input, hiddenSize, rng));
        }
    }

    /// <summary>Hidden width of each direction.</summary>
    public int HiddenSize { get; }

    public override Tensor Encode(Tensor nodes, Tensor mask, IList<Tensor>? attention = null)
    {
        var (batch, width) = CheckInputs(nodes, mask);
        // pack[b·M + k] = the flat index of row b's k-th real node (k < n_b), else a padding node of the row, so the
        // packed rows hold their real nodes first. reverse[b·M + k] maps packed position k to n_b − 1 − k for k < n_b.
        var m = mask.AsReadOnlySpan();
        var pack = new int[batch * width];
        var unpack = new int[batch * width];
        var reverse = new int[batch * width];
        for (int b = 0; b < batch; b++)
        {
            int real = 0;
            for (int j = 0; j < width; j++) if (m[b * width + j] != 0f) real++;
            int front = 0, back = real;
            for (int j = 0; j < width; j++)
            {
                int k = m[b * width + j] != 0f ? front++ : back++;
                pack[b * width + k] = b * width + j;
                unpack[b * width + j] = b * width + k;
            }
            for (int k = 0; k < width; k++) reverse[b * width + k] = b * width + (k < real ? real - 1 - k : k);
        }

        var sequence = Permute(nodes, pack, batch, width);
        for (int layer = 0; layer < Layers; layer++)
        {
            var forward = _forward[layer].Forward(sequence).Output;
            var backward = Permute(_backward[layer].Forward(Permute(sequence, reverse, batch, width)).Output, reverse, batch, width);
            sequence = Tensor.Concat([forward, backward], 2);
        }
        return Permute(sequence, unpack, batch, width);
    }

    /// <summary>Reorders the M axis of [B, M, F] by flat row indices (result row r = input row index[r]).</summary>
    private static Tensor Permute(Tensor x, int[] index, int batch, int width)
    {
        int features = x.Dim(2);
        return x.Reshape(batch * width, features).IndexSelect(0, index).Reshape(batch, width, features);
    }
}

/// <summary>No relations: the node features pass through unchanged (Utility-Policy).</summary>
internal sealed class IdentityEncoder : ActionRelationEncoder
{
    public IdentityEncoder(int inputSize) : base(inputSize, inputSize) { }

    public override Tensor Encode(Tensor nodes, Tensor mask, IList<Tensor>? attention = null)
    {
        CheckInputs(nodes, mask);
        return nodes;
    }
}

/// <summary>
/// The "mean" summary (seed 003 C.3.1): the mean of the real actions' features, then a 2-layer MLP with ReLU.
/// Padding is filled with zeros (not multiplied by 0) before pooling so that even non-finite padding cannot leak.
/// </summary>
internal sealed class MeanSummarizer : ActionSetSummarizer
{
    private readonly Mlp _post;

    public MeanSummarizer(int featureSize, int outputSize, RandomGenerator rng)
        : base(featureSize, outputSize)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _post = RegisterModule("mlp", new Mlp([featureSize, outputSize, outputSize], rng, Activation.ReLU));
    }

    public override Tensor Summarize(Tensor features, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(mask);
        if (features.Rank != 3 || features.Dim(2) != FeatureSize)
            throw new ArgumentException($"MeanSummarizer: features shape {Tensor.ShapeString(features.Shape)} must be [batch, M, {FeatureSize}].", nameof(features));
        int batch = features.Dim(0), width = features.Dim(1);
        if (mask.Rank != 2 || mask.Dim(0) != batch || mask.Dim(1) != width)
            throw new ArgumentException($"MeanSummarizer: mask shape {Tensor.ShapeString(mask.Shape)} must be [batch={batch}, M={width}].", nameof(mask));
        var padding = Tensor.Zeros(batch, width, 1);
        var inverseCount = Tensor.Zeros(batch, 1);
        var m = mask.AsReadOnlySpan();
        var p = padding.AsSpan();
        var c = inverseCount.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            int real = 0;
            for (int j = 0; j < width; j++)
            {
                if (m[b * width + j] != 0f) real++;
                else p[b * width + j] = 1f;
            }
            if (real == 0)
                throw new ArgumentException($"MeanSummarizer: mask row {b} has no real action; every row needs at least one available action.", nameof(mask));
            c[b] = 1f / real;
        }
        var pooled = features.MaskedFill(padding, 0f).Sum(1) * inverseCount; // [B, H]
        return _post.Forward(pooled);
    }
}
