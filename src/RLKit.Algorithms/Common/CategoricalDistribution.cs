using System.Runtime.CompilerServices;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>
/// A (possibly masked) categorical distribution over [B, A] logits that samples without allocating. Masked actions
/// get a logit of −1e9, so their probability is exactly zero and they are never sampled nor chosen as the mode.
/// </summary>
internal sealed class CategoricalDistribution : IActionDistribution
{
    /// <summary>The logit given to masked actions: exp(−1e9 − max) underflows to 0 in float32.</summary>
    internal const float MaskedLogit = -1e9f;

    [MethodImpl(HotPath.Optimized)]
    public CategoricalDistribution(Tensor logits, ReadOnlySpan<bool> actionMask)
    {
        BatchSize = logits.Dim(0);
        ActionSize = logits.Dim(1);
        if (!actionMask.IsEmpty)
        {
            if (actionMask.Length != logits.Size)
                throw new ArgumentException($"Categorical head: the action mask has {actionMask.Length} entries but [batch, actions] = [{BatchSize}, {ActionSize}] needs {logits.Size}.", nameof(actionMask));
            var bias = Tensor.Zeros(BatchSize, ActionSize);
            var biasData = bias.AsSpan();
            for (int b = 0; b < BatchSize; b++)
            {
                var row = actionMask.Slice(b * ActionSize, ActionSize);
                if (!row.Contains(true))
                    throw new ArgumentException($"Categorical head: row {b} of the action mask allows no action; every row needs at least one.", nameof(actionMask));
                for (int a = 0; a < ActionSize; a++) if (!row[a]) biasData[b * ActionSize + a] = MaskedLogit;
            }
            Logits = logits + bias;
            IsMasked = true;
        }
        else Logits = logits;
        LogProbs = Logits.LogSoftmax(1);
    }

    public int BatchSize { get; }
    public int ActionSize { get; }
    public bool IsDiscrete => true;
    public bool IsMasked { get; }

    /// <summary>The logits after masking, [B, A].</summary>
    public Tensor Logits { get; }

    /// <summary>Normalised log-probabilities, [B, A].</summary>
    public Tensor LogProbs { get; }

    [MethodImpl(HotPath.Optimized)]
    public void Sample(RandomGenerator rng, Span<int> actions)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CheckLength(actions.Length);
        var logProbs = LogProbs.AsSpan();
        for (int b = 0; b < BatchSize; b++)
        {
            var row = logProbs.Slice(b * ActionSize, ActionSize);
            // Inverse CDF; a rounding shortfall at the top falls back to the last action with non-zero probability.
            float u = rng.NextSingle(), cumulative = 0f;
            int chosen = -1, lastPossible = 0;
            for (int a = 0; a < ActionSize; a++)
            {
                float p = MathF.Exp(row[a]);
                if (p <= 0f) continue;
                lastPossible = a;
                cumulative += p;
                if (u < cumulative) { chosen = a; break; }
            }
            actions[b] = chosen >= 0 ? chosen : lastPossible;
        }
    }

    public void Mode(Span<int> actions)
    {
        CheckLength(actions.Length);
        var logits = Logits.AsSpan();
        for (int b = 0; b < BatchSize; b++)
            actions[b] = TensorPrimitives.IndexOfMax(logits.Slice(b * ActionSize, ActionSize));
    }

    [MethodImpl(HotPath.Optimized)]
    public Tensor LogProb(ReadOnlySpan<int> actions)
    {
        CheckLength(actions.Length);
        for (int b = 0; b < actions.Length; b++)
            if ((uint)actions[b] >= (uint)ActionSize)
                throw new ArgumentOutOfRangeException(nameof(actions), actions[b], $"Categorical head: action {actions[b]} in row {b} lies outside [0, {ActionSize - 1}].");
        return LogProbs.Gather(1, actions).Reshape(BatchSize);
    }

    public Tensor Entropy()
    {
        // Masked entries have p = 0 and log p = −1e9; zero the log-probabilities there so 0 × −1e9 cannot turn into NaN.
        var probs = LogProbs.Exp();
        var logProbs = IsMasked ? LogProbs.Maximum(MaskedLogit / 2) : LogProbs;
        return -(probs * logProbs).Sum(1);
    }

    public void Sample(RandomGenerator rng, Span<float> actions) => throw Continuous();
    public void Mode(Span<float> actions) => throw Continuous();
    public Tensor LogProb(Tensor actions) => throw Continuous();

    private void CheckLength(int length)
    {
        if (length != BatchSize)
            throw new ArgumentException($"Categorical head: expected {BatchSize} actions (one per row), got {length}.", "actions");
    }

    private static NotSupportedException Continuous() =>
        new("A categorical distribution has discrete actions; use the Span<int> / ReadOnlySpan<int> members.");
}
