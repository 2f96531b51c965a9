using RLKit.Algorithms.Common;



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

    /// <summary>Seed of the networks, noise and the environment reset.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option outside its range.</summary>
    public Td3Options Validate()
    {
        const string R = nameof(Td3Options);
        OptionChecks.InRange(Gamma, 0, 1, R, nameof(Gamma), minInclusive: false);
        OptionChecks.InRange(Tau, 0, 1, R, nameof(Tau), minInclusive: false);
        OptionChecks.Positive(LearningRate, R, nameof(LearningRate));
        OptionChecks.AtLeast(BufferSize, 1, R, nameof(BufferSize));
        OptionChecks.AtLeast(BatchSize, 1, R, nameof(BatchSize));
        OptionChecks.AtLeast(LearningStarts, 0, R, nameof(LearningStarts));
        OptionChecks.AtLeast(PolicyDelay, 1, R, nameof(PolicyDelay));
        if (!Enum.IsDefined(ExplorationNoise))
            throw new ArgumentOutOfRangeException(nameof(ExplorationNoise), ExplorationNoise, $"{R}.{nameof(ExplorationNoise)} must be Gaussian or OrnsteinUhlenbeck.");
        OptionChecks.NonNegative(ExplorationNoiseStd, R, nameof(ExplorationNoiseStd));
        OptionChecks.NonNegative(TargetNoiseStd, R, nameof(TargetNoiseStd));
        OptionChecks.NonNegative(TargetNoiseClip, R, nameof(TargetNoiseClip));
        OptionChecks.HiddenSizes(HiddenSizes, R, nameof(HiddenSizes));
        return this;
    }

    internal DeterministicPolicyGradient.Settings ToSettings() => new(
        Td3Estimator.Name, Gamma, Tau, LearningRate, BufferSize, BatchSize, LearningStarts, PolicyDelay, ExplorationNoise, ExplorationNoiseStd,
        TwinCritics: true, TargetPolicySmoothing, TargetNoiseStd, TargetNoiseClip, HiddenSizes, Seed);
}
