using RLKit.Data;
using RLKit.Training;

namespace RLKit.Algorithms.Dqn;

/// <summary>
/// Hyperparameters of <see cref="DqnEstimator"/> (Mnih et al. 2015, with the double, dueling, n-step and prioritized
/// extensions as switches). Defaults are RL-Zoo's tuned CartPole-v1 values for Stable-Baselines3's DQN, except a lower
/// learning rate and SB3's smaller default network, which solve CartPole-v1 (greedy mean 500 on every seed tried) in
/// 5·10⁴ steps; where SB3's general default differs it is named in the property's docs.
/// Validated once, when the estimator is created.
/// </summary>
public sealed record DqnOptions
{
    /// <summary>
    /// Adam learning rate. Default 1e-3 (RL-Zoo's CartPole value, 2.3e-3, often forgets late in training here; SB3's
    /// general default is 1e-4). Must be finite and &gt; 0.
    /// </summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Replay buffer capacity in transitions. Default 100 000 (SB3: 1 000 000). Must be ≥ 1.</summary>
    public int BufferSize { get; init; } = 100_000;

    /// <summary>Environment steps of pure exploration before the first update. Default 1000 (SB3: 100). Must be ≥ 0.</summary>
    public int LearningStarts { get; init; } = 1000;

    /// <summary>Transitions per gradient step. Default 64 (SB3: 32). Must be ≥ 1.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Discount γ. Default 0.99. Must be in [0, 1].</summary>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>
    /// Environment steps (summed over sub-environments) between target-network updates. Default 10 (SB3: 10 000); with
    /// <see cref="TrainFrequency"/> 256 it syncs the target once per training round. Must be ≥ 1.
    /// </summary>
    public int TargetUpdateInterval { get; init; } = 10;

    /// <summary>Target update coefficient: 1 copies the online network (hard update), τ &lt; 1 is Polyak averaging θ′ ← (1 − τ)θ′ + τθ. Default 1. Must be in (0, 1].</summary>
    public float Tau { get; init; } = 1f;

    /// <summary>Vector steps between training rounds. Default 256 (SB3: 4). Must be ≥ 1.</summary>
    public int TrainFrequency { get; init; } = 256;

    /// <summary>Gradient steps per training round. Default 128 (SB3: 1). Must be ≥ 1.</summary>
    public int GradientSteps { get; init; } = 128;

    /// <summary>ε at the start of training. Default 1. Must be in [0, 1].</summary>
    public float ExplorationInitialEpsilon { get; init; } = 1f;

    /// <summary>ε after annealing; also the ε of the trained agent's stochastic acting. Default 0.04 (SB3: 0.05). Must be in [0, 1].</summary>
    public float ExplorationFinalEpsilon { get; init; } = 0.04f;

    /// <summary>Fraction of the budget over which ε falls linearly from the initial to the final value. Default 0.16 (SB3: 0.1). Must be in (0, 1].</summary>
    public float ExplorationFraction { get; init; } = 0.16f;

    /// <summary>Gradients are clipped to this global L2 norm. Default 10 (SB3's value). Must be finite and &gt; 0.</summary>
    public float MaxGradNorm { get; init; } = 10f;

    /// <summary>Hidden layer widths of the Q-network (ReLU). Default [64, 64] (SB3's default; RL-Zoo's CartPole: [256, 256]). Each must be ≥ 1; at least one for dueling.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [64, 64];

    /// <summary>Use a dueling Q-network (Q = V + A − mean A). Default false.</summary>
    public bool Dueling { get; init; }

    /// <summary>Use double-DQN targets (online argmax, target evaluation). Default false.</summary>
    public bool DoubleDqn { get; init; }

    /// <summary>The n of n-step returns (1 = one-step DQN). Default 1. Must be in [1, 1000].</summary>
    public int NStep { get; init; } = 1;

    /// <summary>Prioritized replay options (Schaul et al. 2016), or null (default) for uniform replay.</summary>
    public PrioritizedReplayOptions? Prioritized { get; init; }

    /// <summary>Seed of network initialisation, exploration, replay sampling and the environment reset (default 0).</summary>
    public ulong Seed { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(DqnOptions);
        OptionRules.Positive(LearningRate, record, nameof(LearningRate));
        OptionRules.AtLeast(BufferSize, 1, record, nameof(BufferSize));
        OptionRules.AtLeast(LearningStarts, 0, record, nameof(LearningStarts));
        OptionRules.AtLeast(BatchSize, 1, record, nameof(BatchSize));
        OptionRules.UnitInterval(Gamma, record, nameof(Gamma));
        OptionRules.AtLeast(TargetUpdateInterval, 1, record, nameof(TargetUpdateInterval));
        OptionRules.HalfOpenUnitInterval(Tau, record, nameof(Tau));
        OptionRules.AtLeast(TrainFrequency, 1, record, nameof(TrainFrequency));
        OptionRules.AtLeast(GradientSteps, 1, record, nameof(GradientSteps));
        OptionRules.UnitInterval(ExplorationInitialEpsilon, record, nameof(ExplorationInitialEpsilon));
        OptionRules.UnitInterval(ExplorationFinalEpsilon, record, nameof(ExplorationFinalEpsilon));
        OptionRules.HalfOpenUnitInterval(ExplorationFraction, record, nameof(ExplorationFraction));
        OptionRules.Positive(MaxGradNorm, record, nameof(MaxGradNorm));
        // The dueling heads need a shared trunk of at least one layer; a plain Q-network may be linear.
        OptionRules.HiddenSizes(HiddenSizes, record, nameof(HiddenSizes), allowEmpty: !Dueling);
        OptionRules.InRange(NStep, 1, 1000, record, nameof(NStep));
        Prioritized?.Validate();
    }
}
