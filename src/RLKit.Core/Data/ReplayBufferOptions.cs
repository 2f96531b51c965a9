using RLKit.Training;

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

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(ReplayBufferOptions);
        OptionRules.AtLeast(EnvCount, 1, record, nameof(EnvCount));
        OptionRules.AtLeast(Capacity, EnvCount, record, nameof(Capacity), minName: nameof(EnvCount));
        OptionRules.InRange(NStep, 1, 1000, record, nameof(NStep));
        OptionRules.UnitInterval(Gamma, record, nameof(Gamma));
        Prioritized?.Validate();
    }
}
