using RLKit.Training;

namespace RLKit.Algorithms.Common;

/// <summary>
/// The knobs TD3 and DDPG share (<see cref="DeterministicPolicyGradient"/>'s loop), with CleanRL's
/// <c>td3_continuous_action.py</c> / <c>ddpg_continuous_action.py</c> defaults. Validated once, when the estimator is
/// created.
/// </summary>
public abstract record DeterministicPolicyGradientOptions : IAlgorithmOptions
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

    /// <summary>Exploration noise process added to the actor's actions while collecting. Default Gaussian (CleanRL; DDPG's paper used Ornstein–Uhlenbeck).</summary>
    public ExplorationNoiseKind ExplorationNoise { get; init; } = ExplorationNoiseKind.Gaussian;

    /// <summary>Exploration noise scale σ, as a fraction of the action half-range, in [0, ∞). Default 0.1.</summary>
    public float ExplorationNoiseStd { get; init; } = 0.1f;

    /// <summary>Hidden widths of the actor and critic MLPs (ReLU). Default [256, 256].</summary>
    public IReadOnlyList<int> HiddenSizes { get; init => field = OptionList.From(value); } = OptionList.Of(256, 256);

    /// <summary>Seed of the networks, noise and the environment reset; unset (the default) means 0, or the context's next seed when the estimator is made through <c>rl.Agents</c> (see <see cref="IAlgorithmOptions"/>).</summary>
    public ulong Seed { get => _seed ?? 0; init => _seed = value; }

    private ulong? _seed;

    bool ISeedableOptions.IsSeedSet => _seed.HasValue;

    /// <summary>Critic updates per actor and target update.</summary>
    internal abstract int CriticUpdatesPerActorUpdate { get; }

    /// <summary>TD3's target policy smoothing noise (σ and clip, as fractions of the action half-range), or null for none.</summary>
    internal virtual (float Std, float Clip)? TargetSmoothing => null;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public virtual void Validate()
    {
        string record = GetType().Name;
        OptionRules.HalfOpenUnitInterval(Gamma, record, nameof(Gamma));
        OptionRules.HalfOpenUnitInterval(Tau, record, nameof(Tau));
        OptionRules.Positive(LearningRate, record, nameof(LearningRate));
        OptionRules.AtLeast(BufferSize, 1, record, nameof(BufferSize));
        OptionRules.AtLeast(BatchSize, 1, record, nameof(BatchSize));
        OptionRules.AtMost(BatchSize, BufferSize, record, nameof(BatchSize), maxName: nameof(BufferSize));
        OptionRules.AtLeast(LearningStarts, 0, record, nameof(LearningStarts));
        OptionRules.Defined(ExplorationNoise, record, nameof(ExplorationNoise));
        OptionRules.NonNegative(ExplorationNoiseStd, record, nameof(ExplorationNoiseStd));
        OptionRules.HiddenSizes(HiddenSizes, record, nameof(HiddenSizes));
    }
}
