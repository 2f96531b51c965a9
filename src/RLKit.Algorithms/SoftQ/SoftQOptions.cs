using RLKit.Algorithms.Dqn;
using RLKit.Training;

namespace RLKit.Algorithms.SoftQ;

/// <summary>
/// Hyperparameters of <see cref="SoftQEstimator"/>: soft Q-learning for discrete actions (Haarnoja et al. 2017's soft
/// Bellman backup, as used by Distral), with DQN's replay and target-network machinery. Defaults are
/// <see cref="DqnOptions"/>' where the two algorithms share a knob, and with β = 3 solve CartPole-v1 (greedy mean ≥ 300
/// on every seed tried) in 5·10⁴ steps. Validated once, when the estimator is created.
/// </summary>
public sealed record SoftQOptions
{
    /// <summary>
    /// Inverse temperature β of the soft value (1/β) log Σ exp(β Q) and of the Boltzmann policy ∝ exp(β Q): larger β is
    /// greedier, β → ∞ recovers DQN's max. Default 3: tuned on CartPole-v1, where β = 10 or 20 explored too little and
    /// sometimes collapsed late in training. The right β scales inversely with the reward scale. Must be finite and &gt; 0.
    /// </summary>
    public float InverseTemperature { get; init; } = 3f;

    /// <summary>Adam learning rate. Default 1e-3. Must be finite and &gt; 0.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Replay buffer capacity in transitions. Default 100 000. Must be ≥ 1.</summary>
    public int BufferSize { get; init; } = 100_000;

    /// <summary>Environment steps of uniformly random actions before the first update. Default 1000. Must be ≥ 0.</summary>
    public int LearningStarts { get; init; } = 1000;

    /// <summary>Transitions per gradient step. Default 64. Must be ≥ 1.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Discount γ. Default 0.99. Must be in [0, 1].</summary>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>Environment steps between hard target-network syncs (when <see cref="Tau"/> = 1). Default 10. Must be ≥ 1.</summary>
    public int TargetUpdateInterval { get; init; } = 10;

    /// <summary>Target update coefficient: 1 = hard copy, τ &lt; 1 = Polyak averaging per gradient step. Default 1. Must be in (0, 1].</summary>
    public float Tau { get; init; } = 1f;

    /// <summary>Vector steps between training rounds. Default 256. Must be ≥ 1.</summary>
    public int TrainFrequency { get; init; } = 256;

    /// <summary>Gradient steps per training round. Default 128. Must be ≥ 1.</summary>
    public int GradientSteps { get; init; } = 128;

    /// <summary>Gradients are clipped to this global L2 norm. Default 10. Must be finite and &gt; 0.</summary>
    public float MaxGradNorm { get; init; } = 10f;

    /// <summary>Hidden layer widths of the Q-network (ReLU). Default [64, 64]. Each must be ≥ 1.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [64, 64];

    /// <summary>The n of n-step returns. Default 1. Must be in [1, 1000].</summary>
    public int NStep { get; init; } = 1;

    /// <summary>Seed of network initialisation, action sampling, replay sampling and the environment reset (default 0).</summary>
    public ulong Seed { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(SoftQOptions);
        OptionRules.Positive(InverseTemperature, record, nameof(InverseTemperature));
        OptionRules.Positive(LearningRate, record, nameof(LearningRate));
        OptionRules.AtLeast(BufferSize, 1, record, nameof(BufferSize));
        OptionRules.AtLeast(LearningStarts, 0, record, nameof(LearningStarts));
        OptionRules.AtLeast(BatchSize, 1, record, nameof(BatchSize));
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
