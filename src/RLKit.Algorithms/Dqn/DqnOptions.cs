using RLKit.Algorithms.Common;
using RLKit.Data;
using RLKit.Training;

namespace RLKit.Algorithms.Dqn;

/// <summary>
/// Hyperparameters of <see cref="DqnEstimator"/> (Mnih et al. 2015, with the double, dueling, n-step and prioritized
/// extensions as switches): <see cref="QLearningOptions"/>' shared knobs plus ε-greedy exploration. With the defaults
/// DQN solves CartPole-v1 (greedy mean 500 on every seed tried) in 5·10⁴ steps. Validated once, when the estimator is
/// created.
/// </summary>
public sealed record DqnOptions : QLearningOptions
{
    /// <summary>ε at the start of training. Default 1. Must be in [0, 1].</summary>
    public float ExplorationInitialEpsilon { get; init; } = 1f;

    /// <summary>
    /// ε after annealing; also the ε of the trained agent's stochastic acting. Default 0.04 (SB3: 0.05). Must be in
    /// [0, 1] and ≤ <see cref="ExplorationInitialEpsilon"/> (ε only falls).
    /// </summary>
    public float ExplorationFinalEpsilon { get; init; } = 0.04f;

    /// <summary>Fraction of the budget over which ε falls linearly from the initial to the final value. Default 0.16 (SB3: 0.1). Must be in (0, 1].</summary>
    public float ExplorationFraction { get; init; } = 0.16f;

    /// <summary>Use a dueling Q-network (Q = V + A − mean A); it needs at least one hidden layer. Default false.</summary>
    public bool Dueling { get; init; }

    /// <summary>Use double-DQN targets (online argmax, target evaluation). Default false.</summary>
    public bool DoubleDqn { get; init; }

    /// <summary>Prioritized replay options (Schaul et al. 2016), or null (default) for uniform replay.</summary>
    public PrioritizedReplayOptions? Prioritized { get; init; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        const string record = nameof(DqnOptions);
        OptionRules.UnitInterval(ExplorationInitialEpsilon, record, nameof(ExplorationInitialEpsilon));
        OptionRules.UnitInterval(ExplorationFinalEpsilon, record, nameof(ExplorationFinalEpsilon));
        OptionRules.AtMost(ExplorationFinalEpsilon, ExplorationInitialEpsilon, record, nameof(ExplorationFinalEpsilon),
                           maxName: nameof(ExplorationInitialEpsilon));
        OptionRules.HalfOpenUnitInterval(ExplorationFraction, record, nameof(ExplorationFraction));
        // The dueling heads need a shared trunk of at least one layer; a plain Q-network may be linear.
        OptionRules.HiddenSizes(HiddenSizes, record, nameof(HiddenSizes), allowEmpty: !Dueling);
        Prioritized?.Validate();
    }
}
