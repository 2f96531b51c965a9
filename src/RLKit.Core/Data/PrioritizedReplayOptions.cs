namespace RLKit.Data;

/// <summary>
/// Proportional prioritized experience replay (Schaul et al. 2016): transition i is sampled with probability
/// P(i) = p_i^α / Σ_k p_k^α, where p_i = |δ_i| + <see cref="Epsilon"/> after <see cref="ReplayBuffer.UpdatePriorities"/>
/// and new transitions get the largest priority seen so far. Importance weights
/// w_i = (N·P(i))^−β / max_k (N·P(k))^−β = (p_i^α / min_k p_k^α)^−β lie in (0, 1].
/// Defaults are the paper's proportional variant.
/// </summary>
public sealed record PrioritizedReplayOptions
{
    /// <summary>Priority exponent α (0 = uniform). Default 0.6. Must be in [0, 1].</summary>
    public float Alpha { get; init; } = 0.6f;

    /// <summary>Importance-sampling exponent β at the first <c>Sample</c>. Default 0.4. Must be in [0, 1].</summary>
    public float BetaStart { get; init; } = 0.4f;

    /// <summary>β once annealing is complete. Default 1. Must be in [0, 1].</summary>
    public float BetaEnd { get; init; } = 1f;

    /// <summary>
    /// Number of <c>Sample</c> calls over which β moves linearly from <see cref="BetaStart"/> to <see cref="BetaEnd"/>:
    /// β_k = BetaStart + (BetaEnd − BetaStart)·min(1, k / BetaAnnealingSamples) at the k-th call (k from 0).
    /// Default 100 000. Must be ≥ 1.
    /// </summary>
    public int BetaAnnealingSamples { get; init; } = 100_000;

    /// <summary>Added to |TD error| so that no transition's priority is zero. Default 1e-6. Must be finite and &gt; 0.</summary>
    public float Epsilon { get; init; } = 1e-6f;

    internal void Validate()
    {
        CheckUnit(Alpha, nameof(Alpha));
        CheckUnit(BetaStart, nameof(BetaStart));
        CheckUnit(BetaEnd, nameof(BetaEnd));
        if (BetaAnnealingSamples < 1)
            throw new ArgumentOutOfRangeException(nameof(BetaAnnealingSamples), BetaAnnealingSamples, "PrioritizedReplayOptions.BetaAnnealingSamples must be ≥ 1.");
        if (!(float.IsFinite(Epsilon) && Epsilon > 0f))
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "PrioritizedReplayOptions.Epsilon must be finite and > 0.");
    }

    private static void CheckUnit(float value, string name)
    {
        if (!(value >= 0f && value <= 1f))
            throw new ArgumentOutOfRangeException(name, value, $"PrioritizedReplayOptions.{name} must be in [0, 1].");
    }
}
