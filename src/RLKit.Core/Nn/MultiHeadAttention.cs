using RLKit.Tensors;

namespace RLKit.Nn;

/// <summary>
/// Multi-head scaled dot-product attention (Vaswani et al.), for self- and cross-attention:
/// softmax(Q Kᵀ / √d_head + mask) V per head, heads concatenated and projected.
/// </summary>
/// <remarks>
/// Inputs are batch-first: query [B, Tq, D], key [B, Tk, Dk], value [B, Tk, Dv]; the output is [B, Tq, D].
/// Projections are the children "q_proj", "k_proj", "v_proj" (D from Dk/Dv) and "out_proj" (D → D), each a
/// <see cref="Linear"/> with PyTorch's default init.
/// </remarks>
public sealed class MultiHeadAttention : Module
{
    private readonly Linear _query, _key, _value, _output;

    /// <summary>Creates the module.</summary>
    /// <param name="embedDim">D: the query width, the attention width and the output width.</param>
    /// <param name="numHeads">Number of heads; must divide <paramref name="embedDim"/>.</param>
    /// <param name="rng">Drives the initialisers.</param>
    /// <param name="keyDim">Width of the key input (Dk); D when null.</param>
    /// <param name="valueDim">Width of the value input (Dv); D when null.</param>
    /// <param name="bias">Whether the projections have biases.</param>
    /// <exception cref="ArgumentOutOfRangeException">If a size is not positive or the heads do not divide D.</exception>
    public MultiHeadAttention(int embedDim, int numHeads, RandomGenerator rng, int? keyDim = null, int? valueDim = null, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (embedDim <= 0) throw new ArgumentOutOfRangeException(nameof(embedDim), embedDim, "MultiHeadAttention: embedDim must be positive.");
        if (numHeads <= 0 || embedDim % numHeads != 0)
            throw new ArgumentOutOfRangeException(nameof(numHeads), numHeads, $"MultiHeadAttention: numHeads must be positive and divide embedDim = {embedDim}.");
        EmbedDim = embedDim;
        NumHeads = numHeads;
        KeyDim = keyDim ?? embedDim;
        ValueDim = valueDim ?? embedDim;
        if (KeyDim <= 0) throw new ArgumentOutOfRangeException(nameof(keyDim), keyDim, "MultiHeadAttention: keyDim must be positive.");
        if (ValueDim <= 0) throw new ArgumentOutOfRangeException(nameof(valueDim), valueDim, "MultiHeadAttention: valueDim must be positive.");
        _query = RegisterModule("q_proj", new Linear(embedDim, embedDim, rng, bias));
        _key = RegisterModule("k_proj", new Linear(KeyDim, embedDim, rng, bias));
        _value = RegisterModule("v_proj", new Linear(ValueDim, embedDim, rng, bias));
        _output = RegisterModule("out_proj", new Linear(embedDim, embedDim, rng, bias));
    }

    /// <summary>D: query, attention and output width.</summary>
    public int EmbedDim { get; }

    /// <summary>The number of heads.</summary>
    public int NumHeads { get; }

    /// <summary>The width of each head, D / heads.</summary>
    public int HeadDim => EmbedDim / NumHeads;

    /// <summary>The width of the key input.</summary>
    public int KeyDim { get; }

    /// <summary>The width of the value input.</summary>
    public int ValueDim { get; }

    /// <summary>
    /// The attention weights [B, heads, Tq, Tk] of the last forward pass (detached; each row sums to 1), for
    /// inspection. Like any tensor computed inside a <see cref="Tensors.TensorScope"/>, it is released with the scope.
    /// </summary>
    public Tensor? LastAttentionWeights { get; private set; }

    /// <summary>Self-attention: query = key = value = <paramref name="x"/> [B, T, D].</summary>
    public Tensor Forward(Tensor x, Tensor? mask = null) => Forward(x, x, x, mask);

    /// <summary>Attention of <paramref name="query"/> over <paramref name="key"/>/<paramref name="value"/>.</summary>
    /// <param name="query">[B, Tq, D].</param>
    /// <param name="key">[B, Tk, Dk].</param>
    /// <param name="value">[B, Tk, Dv].</param>
    /// <param name="mask">
    /// Optional [B, Tq, Tk], [1, Tq, Tk] or [Tq, Tk]; nonzero = query may attend to key, zero = blocked (weight
    /// exactly 0). A query row with no allowed key attends uniformly.
    /// </param>
    /// <returns>[B, Tq, D].</returns>
    /// <exception cref="ArgumentException">If a shape is wrong; the message names the argument and the expected shape.</exception>
    public Tensor Forward(Tensor query, Tensor key, Tensor value, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (query.Rank != 3 || query.Dim(2) != EmbedDim)
            throw new ArgumentException($"MultiHeadAttention: query shape {Tensor.ShapeString(query.Shape)} must be [batch, Tq, {EmbedDim}].", nameof(query));
        int batch = query.Dim(0), tq = query.Dim(1);
        if (key.Rank != 3 || key.Dim(0) != batch || key.Dim(2) != KeyDim)
            throw new ArgumentException($"MultiHeadAttention: key shape {Tensor.ShapeString(key.Shape)} must be [batch={batch}, Tk, {KeyDim}].", nameof(key));
        int tk = key.Dim(1);
        if (value.Rank != 3 || value.Dim(0) != batch || value.Dim(1) != tk || value.Dim(2) != ValueDim)
            throw new ArgumentException($"MultiHeadAttention: value shape {Tensor.ShapeString(value.Shape)} must be [batch={batch}, Tk={tk}, {ValueDim}].", nameof(value));

        var q = SplitHeads(_query.Forward(query), batch, tq);
        var k = SplitHeads(_key.Forward(key), batch, tk);
        var v = SplitHeads(_value.Forward(value), batch, tk);
        var scores = Tensor.MatMul(q, k, transposeB: true) * (1f / MathF.Sqrt(HeadDim)); // [B, H, Tq, Tk]
        if (mask is not null) scores = scores.MaskedFill(BlockedPairs(mask, batch, tq, tk), AttentionMask.BlockedScore);
        var weights = scores.Softmax(-1);
        LastAttentionWeights = weights.Detach();
        var context = Tensor.MatMul(weights, v)          // [B, H, Tq, d]
            .Permute(0, 2, 1, 3).Reshape(batch, tq, EmbedDim);
        return _output.Forward(context);
    }

    private Tensor SplitHeads(Tensor x, int batch, int length) =>
        x.Reshape(batch, length, NumHeads, HeadDim).Permute(0, 2, 1, 3);

    private static Tensor BlockedPairs(Tensor mask, int batch, int tq, int tk)
    {
        bool ok = mask.Rank switch
        {
            2 => mask.Dim(0) == tq && mask.Dim(1) == tk,
            3 => (mask.Dim(0) == batch || mask.Dim(0) == 1) && mask.Dim(1) == tq && mask.Dim(2) == tk,
            _ => false,
        };
        if (!ok)
            throw new ArgumentException(
                $"MultiHeadAttention: mask shape {Tensor.ShapeString(mask.Shape)} must be [batch={batch} or 1, Tq={tq}, Tk={tk}] or [Tq, Tk].", nameof(mask));
        var blocked = AttentionMask.Blocked(mask);
        return mask.Rank == 2 ? blocked : blocked.Unsqueeze(1); // broadcast over heads
    }

    /// <inheritdoc/>
    public override string ToString() => $"MultiHeadAttention(dim={EmbedDim}, heads={NumHeads}, kdim={KeyDim}, vdim={ValueDim})";
}
