using System.Runtime.CompilerServices;
using RLKit.Tensors;

namespace RLKit.Distributions;

/// <summary>
/// A batch of categorical distributions over A actions given by logits [B, A], with an optional action
/// mask. Masked actions get the logit <see cref="MaskedLogit"/>, so their probability is exactly zero:
/// they are never sampled, never chosen by <see cref="Mode"/>, and contribute zero (not NaN) to the
/// entropy and the KL divergence. <see cref="LogProb"/>, <see cref="Entropy"/> and <see cref="Probs"/>
/// are differentiable with respect to the logits.
/// </summary>
public sealed class Categorical
{
    /// <summary>
    /// The logit given to masked actions: large enough that exp underflows to exactly 0 after the log-softmax,
    /// yet finite so that 0 · logit stays 0 (−∞ would give NaN).
    /// </summary>
    public const float MaskedLogit = -1e9f;

    private readonly bool[]? _valid;

    /// <summary>Creates the distributions from logits [B, A] and an optional mask [B, A] (non-zero = allowed).</summary>
    /// <exception cref="ArgumentException">If the logits are not [B, A] with A ≥ 1, the mask's shape differs, or a row of the mask allows no action.</exception>
    public Categorical(Tensor logits, Tensor? mask = null)
        : this(logits, mask is null ? null : ValidFromTensor(logits, mask))
    {
    }

    /// <summary>Creates the distributions from logits [B, A] and a row-major mask of B·A flags (true = allowed).</summary>
    /// <exception cref="ArgumentException">If the logits are not [B, A] with A ≥ 1, the mask's length differs, or a row allows no action.</exception>
    [MethodImpl(HotPath.Optimized)]
    public Categorical(Tensor logits, bool[]? mask)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 2 || logits.Dim(1) < 1)
            throw new ArgumentException($"Categorical: logits must have shape [batch, actions] with at least one action, got {Tensor.ShapeString(logits.Shape)}.", nameof(logits));
        BatchSize = logits.Dim(0);
        ActionCount = logits.Dim(1);
        if (mask is not null)
        {
            if (mask.Length != logits.Size)
                throw new ArgumentException($"Categorical: the mask has {mask.Length} entries but logits {Tensor.ShapeString(logits.Shape)} need {logits.Size} (row-major [batch, actions]).", nameof(mask));
            for (int b = 0; b < BatchSize; b++)
                if (Array.IndexOf(mask, true, b * ActionCount, ActionCount) < 0)
                    throw new ArgumentException($"Categorical: row {b} of the action mask allows no action; every row needs at least one valid action.", nameof(mask));
            _valid = (bool[])mask.Clone();
            var bias = Tensor.Zeros(BatchSize, ActionCount);
            var biasData = bias.AsSpan();
            for (int k = 0; k < mask.Length; k++) if (!mask[k]) biasData[k] = MaskedLogit;
            Logits = logits + bias;
        }
        else Logits = logits;
        LogProbs = Logits.LogSoftmax(1);
    }

    /// <summary>Number of distributions B.</summary>
    public int BatchSize { get; }

    /// <summary>Number of actions A.</summary>
    public int ActionCount { get; }

    /// <summary>The logits with masked actions replaced by <see cref="MaskedLogit"/>, [B, A].</summary>
    public Tensor Logits { get; }

    /// <summary>log π(a) for every action, [B, A] (masked actions hold about <see cref="MaskedLogit"/>).</summary>
    public Tensor LogProbs { get; }

    /// <summary>π(a) for every action, [B, A] (exactly 0 for masked actions).</summary>
    public Tensor Probs => LogProbs.Exp();

    /// <summary>Whether action <paramref name="action"/> is allowed in row <paramref name="row"/>.</summary>
    public bool IsAllowed(int row, int action) => _valid is null || _valid[row * ActionCount + action];

    /// <summary>Draws one action per row (never a masked one).</summary>
    [MethodImpl(HotPath.Optimized)]
    public int[] Sample(RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var actions = new int[BatchSize];
        var logProbs = LogProbs.AsReadOnlySpan();
        var weights = BufferPool.Rent(ActionCount, clear: false);
        try
        {
            for (int b = 0; b < BatchSize; b++)
            {
                TensorPrimitives.Exp(logProbs.Slice(b * ActionCount, ActionCount), weights);
                if (_valid is not null)
                    for (int a = 0; a < ActionCount; a++) if (!_valid[b * ActionCount + a]) weights[a] = 0f;
                actions[b] = rng.Categorical(weights);
            }
        }
        finally { BufferPool.Return(weights); }
        return actions;
    }

    /// <summary>The most likely allowed action of each row (the first one on ties).</summary>
    public int[] Mode() => Logits.ArgMax(1);

    /// <summary>log π(actions[b]) for each row, [B], differentiable with respect to the logits.</summary>
    /// <exception cref="ArgumentException">If there is not one action per row or an action is masked.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an action lies outside [0, A).</exception>
    [MethodImpl(HotPath.Optimized)]
    public Tensor LogProb(ReadOnlySpan<int> actions)
    {
        if (actions.Length != BatchSize)
            throw new ArgumentException($"Categorical.LogProb: got {actions.Length} actions for a batch of {BatchSize}; pass one action per row.", nameof(actions));
        for (int b = 0; b < actions.Length; b++)
        {
            int a = actions[b];
            if ((uint)a >= (uint)ActionCount)
                throw new ArgumentOutOfRangeException(nameof(actions), a, $"Categorical.LogProb: action {a} in row {b} lies outside [0, {ActionCount - 1}].");
            if (!IsAllowed(b, a))
                throw new ArgumentException($"Categorical.LogProb: action {a} in row {b} is masked (not allowed in that row).", nameof(actions));
        }
        return LogProbs.Gather(1, actions).Reshape(BatchSize);
    }

    /// <summary>The entropy −Σ π log π of each row, [B]; masked actions contribute exactly 0.</summary>
    public Tensor Entropy() => -(Probs * MaskedLogProbs()).Sum(1);

    /// <summary>log π with masked entries set to 0, so products with π never form 0 · (huge) terms in gradients.</summary>
    internal Tensor MaskedLogProbs() => _valid is null ? LogProbs : LogProbs * ValidMask();

    /// <summary>True when an action mask was given.</summary>
    internal bool IsMasked => _valid is not null;

    /// <summary>1 for allowed actions, 0 for masked ones, [B, A] (all ones without a mask).</summary>
    internal Tensor ValidMask()
    {
        var keep = Tensor.Ones(BatchSize, ActionCount);
        if (_valid is null) return keep;
        var data = keep.AsSpan();
        for (int k = 0; k < _valid.Length; k++) if (!_valid[k]) data[k] = 0f;
        return keep;
    }

    private static bool[] ValidFromTensor(Tensor logits, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (!mask.Shape.SequenceEqual(logits.Shape))
            throw new ArgumentException($"Categorical: the mask has shape {Tensor.ShapeString(mask.Shape)} but the logits have {Tensor.ShapeString(logits.Shape)}; they must match.", nameof(mask));
        var data = mask.AsReadOnlySpan();
        var valid = new bool[data.Length];
        for (int k = 0; k < data.Length; k++) valid[k] = data[k] != 0f;
        return valid;
    }
}
