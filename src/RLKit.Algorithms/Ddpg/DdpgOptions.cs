using RLKit.Algorithms.Common;
using RLKit.Training;

namespace RLKit.Algorithms.Ddpg;

/// <summary>
/// Deep Deterministic Policy Gradient (Lillicrap et al. 2016), with CleanRL's <c>ddpg_continuous_action.py</c> defaults:
/// one critic, a deterministic actor, Polyak-averaged targets, no target smoothing.
/// </summary>
public sealed record DdpgOptions
{
    /// <summary>Discount γ, in (0, 1]. Default 0.99.</summary>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>Polyak coefficient τ of the target networks, in (0, 1]. Default 5e-3.</summary>
    public float Tau { get; init; } = 5e-3f;

    /// <summary>Adam learning rate of the actor and the critic, in (0, ∞). Default 3e-4.</summary>
    public float LearningRate { get; init; } = 3e-4f;

    /// <summary>Replay capacity in transitions per sub-environment, ≥ 1. Default 1e6.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Minibatch size, ≥ 1. Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Environment steps of uniformly random actions before learning starts, ≥ 0. Default 25 000.</summary>
    public int LearningStarts { get; init; } = 25_000;

    /// <summary>Critic updates per actor and target update, ≥ 1. Default 2 (CleanRL's policy_frequency).</summary>
    public int PolicyFrequency { get; init; } = 2;

    /// <summary>Exploration noise process. Default Gaussian (CleanRL); the paper used Ornstein–Uhlenbeck.</summary>
    public ExplorationNoiseKind ExplorationNoise { get; init; } = ExplorationNoiseKind.Gaussian;

    /// <summary>Exploration noise scale σ, as a fraction of the action half-range, in [0, ∞). Default 0.1.</summary>
    public float ExplorationNoiseStd { get; init; } = 0.1f;

    /// <summary>Hidden widths of the actor and critic MLPs (ReLU). Default [256, 256].</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [256, 256];

    /// <summary>Seed of the networks, noise and the environment reset (default 0).</summary>
    public ulong Seed { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(DdpgOptions);
        OptionRules.HalfOpenUnitInterval(Gamma, record, nameof(Gamma));
        OptionRules.HalfOpenUnitInterval(Tau, record, nameof(Tau));
        OptionRules.Positive(LearningRate, record, nameof(LearningRate));
        OptionRules.AtLeast(BufferSize, 1, record, nameof(BufferSize));
        OptionRules.AtLeast(BatchSize, 1, record, nameof(BatchSize));
        OptionRules.AtLeast(LearningStarts, 0, record, nameof(LearningStarts));
        OptionRules.AtLeast(PolicyFrequency, 1, record, nameof(PolicyFrequency));
        OptionRules.Defined(ExplorationNoise, record, nameof(ExplorationNoise));
        OptionRules.NonNegative(ExplorationNoiseStd, record, nameof(ExplorationNoiseStd));
        OptionRules.HiddenSizes(HiddenSizes, record, nameof(HiddenSizes));
    }

    internal DeterministicPolicyGradient.Settings ToSettings() => new(
        DdpgEstimator.Name, Gamma, Tau, LearningRate, BufferSize, BatchSize, LearningStarts, PolicyFrequency, ExplorationNoise, ExplorationNoiseStd,
        TwinCritics: false, TargetPolicySmoothing: false, 0f, 0f, HiddenSizes, Seed);
}
