using RLKit.Training;

namespace RLKit.Algorithms.Common;

/// <summary>
/// The knobs DQN and soft Q-learning share (<see cref="QLearning"/>'s replay, target network and schedule). Defaults
/// are RL-Zoo's tuned CartPole-v1 values for Stable-Baselines3's DQN, except a lower learning rate and SB3's smaller
/// default network; where SB3's general default differs it is named in the property's docs. Validated once, when the
/// estimator is created.
/// </summary>
public abstract record QLearningOptions : IAlgorithmOptions
{
    /// <summary>
    /// Adam learning rate. Default 1e-3 (RL-Zoo's CartPole value, 2.3e-3, often forgets late in training here; SB3's
    /// general default is 1e-4). Must be finite and &gt; 0.
    /// </summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Replay buffer capacity in transitions. Default 100 000 (SB3: 1 000 000). Must be ≥ 1.</summary>
    public int BufferSize { get; init; } = 100_000;

    /// <summary>Environment steps of exploration before the first update. Default 1000 (SB3: 100). Must be ≥ 0.</summary>
    public int LearningStarts { get; init; } = 1000;

    /// <summary>Transitions per gradient step. Default 64 (SB3: 32). Must be ≥ 1 and ≤ <see cref="BufferSize"/>.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Discount γ. Default 0.99. Must be in [0, 1].</summary>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>
    /// Environment steps (summed over sub-environments) between hard target-network syncs, when <see cref="Tau"/> = 1.
    /// Default 10 (SB3: 10 000); with <see cref="TrainFrequency"/> 256 it syncs the target once per training round. Must be ≥ 1.
    /// </summary>
    public int TargetUpdateInterval { get; init; } = 10;

    /// <summary>Target update coefficient: 1 copies the online network (hard update), τ &lt; 1 is Polyak averaging θ′ ← (1 − τ)θ′ + τθ per gradient step. Default 1. Must be in (0, 1].</summary>
    public float Tau { get; init; } = 1f;

    /// <summary>Vector steps between training rounds. Default 256 (SB3: 4). Must be ≥ 1.</summary>
    public int TrainFrequency { get; init; } = 256;

    /// <summary>Gradient steps per training round. Default 128 (SB3: 1). Must be ≥ 1.</summary>
    public int GradientSteps { get; init; } = 128;

    /// <summary>Gradients are clipped to this global L2 norm. Default 10 (SB3's value). Must be finite and &gt; 0.</summary>
    public float MaxGradNorm { get; init; } = 10f;

    /// <summary>Hidden layer widths of the Q-network (ReLU). Default [64, 64] (SB3's default; RL-Zoo's CartPole: [256, 256]). Each must be ≥ 1.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init => field = OptionList.From(value); } = OptionList.Of(64, 64);

    /// <summary>The n of n-step returns (1 = one-step targets). Default 1. Must be in [1, 1000].</summary>
    public int NStep { get; init; } = 1;

    /// <summary>Seed of network initialisation, exploration, replay sampling and the environment reset; unset (the default) means 0, or the context's next seed when the estimator is made through <c>rl.Agents</c> (see <see cref="IAlgorithmOptions"/>).</summary>
    public ulong Seed { get => _seed ?? 0; init => _seed = value; }

    private ulong? _seed;

    bool ISeedableOptions.IsSeedSet => _seed.HasValue;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public virtual void Validate()
    {
        string record = GetType().Name;
        OptionRules.Positive(LearningRate, record, nameof(LearningRate));
        OptionRules.AtLeast(BufferSize, 1, record, nameof(BufferSize));
        OptionRules.AtLeast(LearningStarts, 0, record, nameof(LearningStarts));
        OptionRules.AtLeast(BatchSize, 1, record, nameof(BatchSize));
        OptionRules.AtMost(BatchSize, BufferSize, record, nameof(BatchSize), maxName: nameof(BufferSize));
        OptionRules.UnitInterval(Gamma, record, nameof(Gamma));
        OptionRules.AtLeast(TargetUpdateInterval, 1, record, nameof(TargetUpdateInterval));
        OptionRules.HalfOpenUnitInterval(Tau, record, nameof(Tau));
        OptionRules.AtLeast(TrainFrequency, 1, record, nameof(TrainFrequency));
        OptionRules.AtLeast(GradientSteps, 1, record, nameof(GradientSteps));
        OptionRules.Positive(MaxGradNorm, record, nameof(MaxGradNorm));
        OptionRules.HiddenSizes(HiddenSizes, record, nameof(HiddenSizes), allowEmpty: true);
        OptionRules.InRange(NStep, 1, 1000, record, nameof(NStep));
    }
}
