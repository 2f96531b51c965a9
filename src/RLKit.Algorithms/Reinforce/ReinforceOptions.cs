using RLKit.Algorithms.Common;
using RLKit.Nn;
using RLKit.Training;

namespace RLKit.Algorithms.Reinforce;

/// <summary>
/// Hyperparameters of REINFORCE with a learned value baseline (Williams 1992; Sutton &amp; Barto 2018, §13.4).
/// Defaults: γ 0.99, an update after every 4 completed episodes, Adam at 1e-3 for actor and baseline, baseline
/// coefficient 0.5, no entropy bonus, advantages standardised per update, gradient norm clipped at 0.5, separate
/// 64-64 tanh actor and critic networks with orthogonal initialisation.
/// </summary>
/// <remarks>
/// Options are validated once, when a <see cref="ReinforceEstimator"/> is created; an invalid value throws an
/// <see cref="ArgumentOutOfRangeException"/> naming the option and its allowed range.
/// </remarks>
public sealed record ReinforceOptions : IAlgorithmOptions
{
    /// <summary>Adam learning rate of actor and baseline (default 1e-3), in (0, 1].</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Discount γ of the Monte-Carlo returns (default 0.99), in [0, 1].</summary>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>Completed episodes (over all sub-environments) per gradient step (default 4), ≥ 1.</summary>
    public int EpisodesPerUpdate { get; init; } = 4;

    /// <summary>Weight of the baseline's squared-error loss in the total loss (default 0.5), ≥ 0.</summary>
    public float ValueCoefficient { get; init; } = 0.5f;

    /// <summary>Weight of the entropy bonus (default 0), ≥ 0.</summary>
    public float EntropyCoefficient { get; init; }

    /// <summary>
    /// Standardise the advantages G − V(s) of each update (default true): it keeps the step size independent of the
    /// return's scale, which grows with episode length on tasks such as CartPole.
    /// </summary>
    public bool NormalizeAdvantages { get; init; } = true;

    /// <summary>Clip the global gradient norm to this value (default 0.5), &gt; 0; <see cref="float.PositiveInfinity"/> disables clipping.</summary>
    public float MaxGradNorm { get; init; } = 0.5f;

    /// <summary>Hidden layer widths of the actor and of the baseline (default [64, 64]); each ≥ 1, at least one layer.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init => field = OptionList.From(value); } = OptionList.Of(64, 64);

    /// <summary>
    /// Hidden activation (default tanh, as in SB3's on-policy MlpPolicy). A kind rather than an <see cref="Nn.Activation"/>
    /// so that the options round-trip through JSON in checkpoints; LeakyReLU and ELU use their default parameters.
    /// </summary>
    public ActivationKind Activation { get; init; } = ActivationKind.Tanh;

    /// <summary>Initial log standard deviation of the Gaussian policy for continuous actions (default 0), in [−20, 2].</summary>
    public float InitialLogStd { get; init; }

    /// <summary>Seed of network initialisation, action sampling and the environments' first reset; unset (the default) means 0, or the context's next seed when the estimator is made through <c>rl.Agents</c> (see <see cref="IAlgorithmOptions"/>).</summary>
    public ulong Seed { get => _seed ?? 0; init => _seed = value; }

    private ulong? _seed;

    bool ISeedableOptions.IsSeedSet => _seed.HasValue;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(ReinforceOptions);
        OptionRules.HalfOpenUnitInterval(LearningRate, record, nameof(LearningRate));
        OptionRules.UnitInterval(Gamma, record, nameof(Gamma));
        OptionRules.AtLeast(EpisodesPerUpdate, 1, record, nameof(EpisodesPerUpdate));
        OptionRules.NonNegative(ValueCoefficient, record, nameof(ValueCoefficient));
        OptionRules.NonNegative(EntropyCoefficient, record, nameof(EntropyCoefficient));
        OptionRules.GreaterThan(MaxGradNorm, 0f, record, nameof(MaxGradNorm));
        OptionRules.HiddenSizes(HiddenSizes, record, nameof(HiddenSizes));
        OptionRules.Defined(Activation, record, nameof(Activation));
        OptionRules.InRange(InitialLogStd, -20f, 2f, record, nameof(InitialLogStd));
    }

    /// <summary>The hidden activation as a network layer.</summary>
    internal Nn.Activation HiddenActivation() => Nn.Activation.FromKind(Activation);
}
