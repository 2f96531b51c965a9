using RLKit.Algorithms.Common;
using RLKit.Training;

namespace RLKit.Algorithms.Td3;

/// <summary>
/// Twin Delayed DDPG (Fujimoto et al. 2018), with CleanRL's <c>td3_continuous_action.py</c> defaults.
/// </summary>
public sealed record Td3Options
{
    /// <summary>Discount γ, in (0, 1]. Default 0.99.</summary>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>Polyak coefficient τ of the target networks, in (0, 1]. Default 5e-3.</summary>
    public float Tau { get; init; } = 5e-3f;

    /// <summary>Adam learning rate of the actor and the critics, in (0, ∞). Default 3e-4.</summary>
    public float LearningRate { get; init; } = 3e-4f;

    /// <summary>Replay capacity in transitions per sub-environment, ≥ 1. Default 1e6.</summary>
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Minibatch size, ≥ 1. Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Environment steps of uniformly random actions before learning starts, ≥ 0. Default 25 000.</summary>
    public int LearningStarts { get; init; } = 25_000;

    /// <summary>Critic updates per actor and target update (the policy delay d), ≥ 1. Default 2.</summary>
    public int PolicyDelay { get; init; } = 2;

    /// <summary>Exploration noise process added to the actor's actions while collecting. Default Gaussian.</summary>
    public ExplorationNoiseKind ExplorationNoise { get; init; } = ExplorationNoiseKind.Gaussian;

    /// <summary>Exploration noise scale σ, as a fraction of the action half-range, in [0, ∞). Default 0.1.</summary>
    public float ExplorationNoiseStd { get; init; } = 0.1f;

    /// <summary>
    /// Target policy smoothing: add clipped noise to the target actor's actions in the critic target. Default true;
    /// SAVO turns it off.
    /// </summary>
    public bool TargetPolicySmoothing { get; init; } = true;

    /// <summary>Target smoothing noise σ, as a fraction of the action half-range, in [0, ∞). Default 0.2.</summary>
    public float TargetNoiseStd { get; init; } = 0.2f;

    /// <summary>Target smoothing noise clip c, as a fraction of the action half-range, in [0, ∞). Default 0.5.</summary>
    public float TargetNoiseClip { get; init; } = 0.5f;

    /// <summary>Hidden widths of the actor and critic MLPs (ReLU). Default [256, 256].</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [256, 256];

    /// <summary>Seed of the networks, noise and the environment reset (default 0).</summary>
    public ulong Seed { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(Td3Options);
        OptionRules.HalfOpenUnitInterval(Gamma, record, nameof(Gamma));
        OptionRules.HalfOpenUnitInterval(Tau, record, nameof(Tau));
        OptionRules.Positive(LearningRate, record, nameof(LearningRate));
        OptionRules.AtLeast(BufferSize, 1, record, nameof(BufferSize));
        OptionRules.AtLeast(BatchSize, 1, record, nameof(BatchSize));
        OptionRules.AtLeast(LearningStarts, 0, record, nameof(LearningStarts));
        OptionRules.AtLeast(PolicyDelay, 1, record, nameof(PolicyDelay));
        OptionRules.Defined(ExplorationNoise, record, nameof(ExplorationNoise));
        OptionRules.NonNegative(ExplorationNoiseStd, record, nameof(ExplorationNoiseStd));
        OptionRules.NonNegative(TargetNoiseStd, record, nameof(TargetNoiseStd));
        OptionRules.NonNegative(TargetNoiseClip, record, nameof(TargetNoiseClip));
        OptionRules.HiddenSizes(HiddenSizes, record, nameof(HiddenSizes));
    }

    internal DeterministicPolicyGradient.Settings ToSettings() => new(
        Td3Estimator.Name, Gamma, Tau, LearningRate, BufferSize, BatchSize, LearningStarts, PolicyDelay, ExplorationNoise, ExplorationNoiseStd,
        TwinCritics: true, TargetPolicySmoothing, TargetNoiseStd, TargetNoiseClip, HiddenSizes, Seed);
}
