namespace RLKit.Data;

/// <summary>Options of <see cref="ReplayBuffer"/>, validated once when the buffer is created.</summary>
public sealed record ReplayBufferOptions
{
    /// <summary>
    /// Transitions held before the oldest are overwritten. Default 100 000. Must be ≥ <see cref="EnvCount"/>.
    /// Storage is [Capacity / EnvCount rows, EnvCount] (rounded down), so the buffer's actual capacity is a
    /// multiple of EnvCount.
    /// </summary>
    public int Capacity { get; init; } = 100_000;

    /// <summary>Environments whose transitions are added together per <c>Add</c> call. Default 1. Must be ≥ 1.</summary>
    public int EnvCount { get; init; } = 1;

    /// <summary>The n of n-step returns; 1 gives ordinary one-step transitions. Default 1. Must be in [1, 1000].</summary>
    public int NStep { get; init; } = 1;

    /// <summary>Discount γ used for n-step rewards and reported in <see cref="ReplayBatch.Discounts"/>. Default 0.99. Must be in [0, 1].</summary>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>Prioritized replay options, or null (default) for uniform sampling.</summary>
    public PrioritizedReplayOptions? Prioritized { get; init; }

    internal void Validate()
    {
        if (EnvCount < 1)
            throw new ArgumentOutOfRangeException(nameof(EnvCount), EnvCount, "ReplayBufferOptions.EnvCount must be ≥ 1.");
        if (Capacity < EnvCount)
            throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, $"ReplayBufferOptions.Capacity must be ≥ EnvCount ({EnvCount}).");
        if (NStep is < 1 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(NStep), NStep, "ReplayBufferOptions.NStep must be in [1, 1000].");
        if (!(Gamma >= 0f && Gamma <= 1f))
            throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, "ReplayBufferOptions.Gamma must be in [0, 1].");
        Prioritized?.Validate();
    }
}
