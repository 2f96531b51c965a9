using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.MixMask;

/// <summary>
/// Attention over the H features of a latent [B, H], each feature a one-dimensional token (seed 000 §4.1–4.2,
/// the attention mix and mask representations): q = W_q·x_query, k = W_k·x_key, u = W_v·x_value (each
/// Linear(H, H)), scores s_ij = q_i·k_j, weights a = softmax_j(s) [B, H, H], output_i = Σ_j a_ij·u_j [B, H].
/// </summary>
/// <remarks>
/// <para>
/// The scores are not scaled: the usual 1/√d compensates for the growth of a d-dimensional dot product, and here
/// each token is one-dimensional (d = 1), so the factor is 1.
/// </para>
/// <para>
/// The reference code normalises over the query axis (softmax(1) of its [B, H, H] scores) and uses the raw value
/// input without a W_v projection; RLKit follows the paper's standard attention (softmax over the keys, projected
/// values) so that each output feature is a convex combination of value features.
/// </para>
/// </remarks>
internal sealed class FeatureAttention : Module
{
    private readonly Linear _query;
    private readonly Linear _key;
    private readonly Linear _value;

    /// <summary>Creates the three projections Linear(H, H), initialised by <paramref name="init"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="width"/> is not positive.</exception>
    public FeatureAttention(int width, RandomGenerator rng, LayerInit init)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(init);
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "FeatureAttention: width must be positive.");
        Width = width;
        _query = RegisterModule("query", init.Linear(width, width, rng));
        _key = RegisterModule("key", init.Linear(width, width, rng));
        _value = RegisterModule("value", init.Linear(width, width, rng));
    }

    /// <summary>The latent width H (the number of feature tokens).</summary>
    public int Width { get; }

    internal Linear Query => _query;
    internal Linear Key => _key;
    internal Linear Value => _value;

    /// <summary>
    /// The attention weights a [B, H, H] (row i: feature i's weights over the key features j, summing to 1).
    /// <paramref name="queryInput"/> is [B, H], or [1, H] / [H] for a query shared by every row (it broadcasts).
    /// </summary>
    /// <exception cref="ArgumentException">If a shape is not [B, H] (or a broadcastable query).</exception>
    public Tensor Weights(Tensor queryInput, Tensor keyInput)
    {
        RequireLatent(keyInput, nameof(keyInput));
        ArgumentNullException.ThrowIfNull(queryInput);
        bool sharedQuery = queryInput.Rank == 1 || (queryInput.Rank == 2 && queryInput.Dim(0) == 1);
        if (!sharedQuery) RequireLatent(queryInput, nameof(queryInput));
        if (queryInput.Dim(-1) != Width)
            throw new ArgumentException($"FeatureAttention: query input shape {Tensor.ShapeString(queryInput.Shape)} must end in width {Width}.", nameof(queryInput));
        if (!sharedQuery && queryInput.Dim(0) != keyInput.Dim(0))
            throw new ArgumentException(
                $"FeatureAttention: query input {Tensor.ShapeString(queryInput.Shape)} and key input {Tensor.ShapeString(keyInput.Shape)} have different batch sizes.", nameof(queryInput));
        var query = _query.Forward(queryInput.Rank == 1 ? queryInput.Unsqueeze(0) : queryInput); // [B or 1, H]
        var key = _key.Forward(keyInput);                                                           // [B, H]
        // s_ij = q_i·k_j: the outer product of two 1-D token sequences, broadcast over the batch.
        var scores = query.Unsqueeze(-1) * key.Unsqueeze(-2);                                        // [B, H, H]
        return scores.Softmax(-1);
    }

    /// <summary>The projected values u = W_v·x [B, H].</summary>
    /// <exception cref="ArgumentException">If the input is not [B, H].</exception>
    public Tensor Values(Tensor valueInput)
    {
        RequireLatent(valueInput, nameof(valueInput));
        return _value.Forward(valueInput);
    }

    /// <summary>output_i = Σ_j a_ij·u_j for weights [B, H, H] and values [B, H]; returns [B, H].</summary>
    /// <exception cref="ArgumentException">If the shapes do not fit together.</exception>
    public static Tensor Attend(Tensor weights, Tensor values)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(values);
        if (weights.Rank != 3 || values.Rank != 2 || weights.Dim(0) != values.Dim(0) || weights.Dim(1) != values.Dim(1) || weights.Dim(2) != values.Dim(1))
            throw new ArgumentException(
                $"FeatureAttention.Attend: weights {Tensor.ShapeString(weights.Shape)} and values {Tensor.ShapeString(values.Shape)} must be [B, H, H] and [B, H].", nameof(weights));
        return Tensor.MatMul(weights, values.Unsqueeze(-1)).Squeeze(-1);
    }

    /// <summary>The attended latent [B, H]: the query from <paramref name="queryInput"/>, keys and values from <paramref name="keyValueInput"/>.</summary>
    /// <exception cref="ArgumentException">If a shape is not [B, H].</exception>
    public Tensor Forward(Tensor queryInput, Tensor keyValueInput) => Attend(Weights(queryInput, keyValueInput), Values(keyValueInput));

    private void RequireLatent(Tensor latent, string name)
    {
        ArgumentNullException.ThrowIfNull(latent, name);
        if (latent.Rank != 2 || latent.Dim(1) != Width)
            throw new ArgumentException($"FeatureAttention: {name} shape {Tensor.ShapeString(latent.Shape)} must be [batch, {Width}].", name);
    }
}
