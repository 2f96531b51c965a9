using RLKit.Algorithms.Common;
using RLKit.Training;

namespace RLKit.Algorithms.Sac;

/// <summary>
/// Soft Actor-Critic for Box actions (Haarnoja et al. 2018b), with CleanRL's <c>sac_continuous_action.py</c> defaults.
/// </summary>
public sealed record SacOptions : IAlgorithmOptions
{
    /// <summary>Discount γ, in (0, 1]. Default 0.99.</summary>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>Polyak coefficient τ of the target critics, in (0, 1]. Default 5e-3.</summary>
    public float Tau { get; init; } = 5e-3f;

    /// <summary>Adam learning rate of the actor, in (0, ∞). Default 3e-4.</summary>
    public float PolicyLearningRate { get; init; } = 3e-4f;

    /// <summary>Adam learning rate of the critics (and of α), in (0, ∞). Default 1e-3 (CleanRL q_lr).</summary>
    public float QLearningRate { get; init; } = 1e-3f;

    /// <summary>Replay capacity in transitions per sub-environment, ≥ 1. Default 1e6.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Minibatch size, ≥ 1. Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Environment steps of uniformly random actions before learning starts, ≥ 0. Default 5000.</summary>
    public int LearningStarts { get; init; } = 5_000;

    /// <summary>
    /// Delay of the actor (and α) updates, ≥ 1: every this many critic updates, the actor is updated this many
    /// times (TD3-style delay compensated as in CleanRL). Default 2.
    /// </summary>
    public int PolicyFrequency { get; init; } = 2;

    /// <summary>Target-network update period in critic updates, ≥ 1. Default 1.</summary>
    public int TargetNetworkFrequency { get; init; } = 1;

    /// <summary>Tune the entropy temperature α automatically towards <see cref="TargetEntropy"/>. Default true.</summary>
    public bool AutoTuneAlpha { get; init; } = true;

    /// <summary>The fixed temperature α used when <see cref="AutoTuneAlpha"/> is false, in (0, ∞). Default 0.2. (With tuning, log α starts at 0, i.e. α = 1, as CleanRL.)</summary>
    public float Alpha { get; init; } = 0.2f;

    /// <summary>The target entropy H̄; null means −|A| (the action dimension), the paper's heuristic.</summary>
    public float? TargetEntropy { get; init; }

    /// <summary>Hidden widths of the actor and critic MLPs (ReLU). Default [256, 256].</summary>
    public IReadOnlyList<int> HiddenSizes { get; init => field = OptionList.From(value); } = OptionList.Of(256, 256);

    /// <summary>Seed of the networks, sampling and the environment reset; unset (the default) means 0, or the context's next seed when the estimator is made through <c>rl.Agents</c> (see <see cref="IAlgorithmOptions"/>).</summary>
    public ulong Seed { get => _seed ?? 0; init => _seed = value; }

    private ulong? _seed;

    bool ISeedableOptions.IsSeedSet => _seed.HasValue;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(SacOptions);
        OptionRules.HalfOpenUnitInterval(Gamma, record, nameof(Gamma));
        OptionRules.HalfOpenUnitInterval(Tau, record, nameof(Tau));
        OptionRules.Positive(PolicyLearningRate, record, nameof(PolicyLearningRate));
        OptionRules.Positive(QLearningRate, record, nameof(QLearningRate));
        OptionRules.AtLeast(BufferSize, 1, record, nameof(BufferSize));
        OptionRules.AtLeast(BatchSize, 1, record, nameof(BatchSize));
        OptionRules.AtMost(BatchSize, BufferSize, record, nameof(BatchSize), maxName: nameof(BufferSize));
        OptionRules.AtLeast(LearningStarts, 0, record, nameof(LearningStarts));
        OptionRules.AtLeast(PolicyFrequency, 1, record, nameof(PolicyFrequency));
        OptionRules.AtLeast(TargetNetworkFrequency, 1, record, nameof(TargetNetworkFrequency));
        OptionRules.Positive(Alpha, record, nameof(Alpha));
        OptionRules.FiniteOrNull(TargetEntropy, record, nameof(TargetEntropy));
        OptionRules.HiddenSizes(HiddenSizes, record, nameof(HiddenSizes));
    }
}
