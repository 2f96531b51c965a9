using RLKit.Algorithms.Common;
using RLKit.Training;

namespace RLKit.Algorithms.Sac;

/// <summary>
/// Soft Actor-Critic for discrete actions (Christodoulou 2019), with CleanRL's <c>sac_atari.py</c> structure: a
/// categorical policy, twin critics that output Q for every action, and expectations over the policy's probabilities
/// in place of sampled actions (in the soft value, the actor loss and the temperature loss).
/// </summary>
public sealed record DiscreteSacOptions : IAlgorithmOptions
{
    /// <summary>Discount γ, in (0, 1]. Default 0.99.</summary>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>Polyak coefficient τ of the target critics, in (0, 1]; 1 is a hard copy. Default 1 (CleanRL sac_atari).</summary>
    public float Tau { get; init; } = 1f;

    /// <summary>Target-network update period in environment (vector) steps, ≥ 1. Default 8000 (CleanRL sac_atari).</summary>
    public int TargetNetworkFrequency { get; init; } = 8_000;

    /// <summary>Adam learning rate of the actor, in (0, ∞). Default 3e-4.</summary>
    public float PolicyLearningRate { get; init; } = 3e-4f;

    /// <summary>Adam learning rate of the critics and of α, in (0, ∞). Default 3e-4.</summary>
    public float QLearningRate { get; init; } = 3e-4f;

    /// <summary>Adam ε of every optimizer, in (0, ∞). Default 1e-4 (CleanRL sac_atari).</summary>
    public float AdamEpsilon { get; init; } = 1e-4f;

    /// <summary>Replay capacity in transitions per sub-environment, ≥ 1. Default 1e6.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Minibatch size, ≥ 1. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Environment steps of uniformly random actions before learning starts, ≥ 0. Default 20 000.</summary>
    public int LearningStarts { get; init; } = 20_000;

    /// <summary>Vector steps between gradient updates, ≥ 1. Default 4.</summary>
    public int UpdateFrequency { get; init; } = 4;

    /// <summary>Tune the entropy temperature α automatically. Default true (log α starts at 0).</summary>
    public bool AutoTuneAlpha { get; init; } = true;

    /// <summary>The fixed temperature α used when <see cref="AutoTuneAlpha"/> is false, in (0, ∞). Default 0.2.</summary>
    public float Alpha { get; init; } = 0.2f;

    /// <summary>
    /// The target entropy as a fraction of the maximum entropy log|A|: H̄ = −scale·log(1/|A|), in (0, 1]. Default 0.98
    /// (Christodoulou 2019; CleanRL uses 0.89). With very few actions a target this close to the maximum entropy can make α
    /// grow without bound (on CartPole's two actions it does); use about 0.5 there.
    /// </summary>
    public float TargetEntropyScale { get; init; } = 0.98f;

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
        const string record = nameof(DiscreteSacOptions);
        OptionRules.HalfOpenUnitInterval(Gamma, record, nameof(Gamma));
        OptionRules.HalfOpenUnitInterval(Tau, record, nameof(Tau));
        OptionRules.AtLeast(TargetNetworkFrequency, 1, record, nameof(TargetNetworkFrequency));
        OptionRules.Positive(PolicyLearningRate, record, nameof(PolicyLearningRate));
        OptionRules.Positive(QLearningRate, record, nameof(QLearningRate));
        OptionRules.Positive(AdamEpsilon, record, nameof(AdamEpsilon));
        OptionRules.AtLeast(BufferSize, 1, record, nameof(BufferSize));
        OptionRules.AtLeast(BatchSize, 1, record, nameof(BatchSize));
        OptionRules.AtMost(BatchSize, BufferSize, record, nameof(BatchSize), maxName: nameof(BufferSize));
        OptionRules.AtLeast(LearningStarts, 0, record, nameof(LearningStarts));
        OptionRules.AtLeast(UpdateFrequency, 1, record, nameof(UpdateFrequency));
        OptionRules.Positive(Alpha, record, nameof(Alpha));
        OptionRules.HalfOpenUnitInterval(TargetEntropyScale, record, nameof(TargetEntropyScale));
        OptionRules.HiddenSizes(HiddenSizes, record, nameof(HiddenSizes));
    }
}
