using RLKit.Training;

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

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(PrioritizedReplayOptions);
        OptionRules.UnitInterval(Alpha, record, nameof(Alpha));
        OptionRules.UnitInterval(BetaStart, record, nameof(BetaStart));
        OptionRules.UnitInterval(BetaEnd, record, nameof(BetaEnd));
        OptionRules.AtLeast(BetaAnnealingSamples, 1, record, nameof(BetaAnnealingSamples));
        OptionRules.Positive(Epsilon, record, nameof(Epsilon));
    }
}
