using RLKit.Algorithms.Common;
using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.MixMask;
using RLKit.Nn;
using RLKit.Training;

namespace RLKit.Algorithms.A2c;

/// <summary>The optimizer an <see cref="A2cEstimator"/> trains with.</summary>
public enum A2cOptimizer
{
    /// <summary>RMSprop, as in the A3C/A2C papers and Stable-Baselines3 (α = <see cref="A2cOptions.RmsPropAlpha"/>, ε = <see cref="A2cOptions.RmsPropEpsilon"/>).</summary>
    RmsProp,

    /// <summary>Adam (β = 0.9, 0.999; ε = 1e-5), often steadier for small problems.</summary>
    Adam,
}

/// <summary>The critic's regression loss.</summary>
public enum ValueLossKind
{
    /// <summary>Mean squared error (V − R)², as in SB3 and CleanRL.</summary>
    SquaredError,

    /// <summary>Smooth L1 (Huber with δ = 1), as in the Mix &amp; Mask reference code.</summary>
    SmoothL1,
}

/// <summary>
/// Hyperparameters of synchronous advantage actor-critic (A2C; Mnih et al. 2016, in its synchronous form). Defaults
/// are Stable-Baselines3's: 5 steps per environment per update, γ 0.99, λ 1 (plain n-step returns), value
/// coefficient 0.5, no entropy bonus, RMSprop (lr 7e-4, α 0.99, ε 1e-5), gradient norm clipped at 0.5, separate
/// 64-64 tanh actor and critic networks with orthogonal initialisation.
/// </summary>
/// <remarks>
/// <para>Options are validated once, when an <see cref="A2cEstimator"/> is created; an invalid value throws an
/// <see cref="ArgumentOutOfRangeException"/> naming the option and its allowed range.</para>
/// </remarks>
public sealed record A2cOptions : IAlgorithmOptions
{
    /// <summary>Learning rate (SB3 default 7e-4), in (0, 1].</summary>
    public float LearningRate { get; init; } = 7e-4f;

    /// <summary>Decay the learning rate linearly to 0 over the budget (SB3's <c>linear_schedule</c>); off by default.</summary>
    public bool LinearLearningRateDecay { get; init; }

    /// <summary>Steps each environment takes between updates, the "n" of n-step returns (SB3 default 5), ≥ 1.</summary>
    public int StepsPerUpdate { get; init; } = 5;

    /// <summary>Discount γ (default 0.99), in [0, 1].</summary>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>
    /// GAE λ, in [0, 1]. The default 1 gives the original A2C's n-step returns: each step's target sums the rewards
    /// up to the end of the rollout and bootstraps from the critic there (or at an episode's truncation). Below 1,
    /// advantages are generalised advantage estimates (Schulman et al. 2016).
    /// </summary>
    public float GaeLambda { get; init; } = 1f;

    /// <summary>Weight of the critic's squared-error loss in the total loss (default 0.5), ≥ 0.</summary>
    public float ValueCoefficient { get; init; } = 0.5f;

    /// <summary>Weight of the entropy bonus (default 0, as in SB3; the A3C paper used 0.01), ≥ 0.</summary>
    public float EntropyCoefficient { get; init; }

    /// <summary>Clip the global gradient norm to this value (default 0.5), &gt; 0; <see cref="float.PositiveInfinity"/> disables clipping.</summary>
    public float MaxGradNorm { get; init; } = 0.5f;

    /// <summary>Standardise the advantages of each update (SB3 default off).</summary>
    public bool NormalizeAdvantages { get; init; }

    /// <summary>The optimizer (default RMSprop, as in the paper and SB3).</summary>
    public A2cOptimizer Optimizer { get; init; } = A2cOptimizer.RmsProp;

    /// <summary>RMSprop smoothing constant α (SB3 default 0.99), in [0, 1).</summary>
    public float RmsPropAlpha { get; init; } = 0.99f;

    /// <summary>RMSprop ε (SB3 default 1e-5, larger than PyTorch's 1e-8 for stability), &gt; 0.</summary>
    public float RmsPropEpsilon { get; init; } = 1e-5f;

    /// <summary>
    /// Share the hidden layers between actor and critic (the A3C paper's network) instead of two separate networks
    /// (SB3's default since 1.8). Default false.
    /// </summary>
    public bool SharedNetwork { get; init; }

    /// <summary>Hidden layer widths of the actor and of the critic (default [64, 64]); each ≥ 1, at least one layer.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init => field = OptionList.From(value); } = OptionList.Of(64, 64);

    /// <summary>
    /// Hidden activation (default tanh, as in SB3's on-policy MlpPolicy). A kind rather than an <see cref="Nn.Activation"/>
    /// so that the options round-trip through JSON in checkpoints; LeakyReLU and ELU use their default parameters.
    /// </summary>
    public ActivationKind Activation { get; init; } = ActivationKind.Tanh;

    /// <summary>Initial log standard deviation of the Gaussian policy for continuous actions (SB3 default 0), in [−20, 2].</summary>
    public float InitialLogStd { get; init; }

    /// <summary>
    /// End a rollout as soon as any environment's episode ends, so that with one environment every update trains on
    /// exactly one episode (the Mix &amp; Mask protocol; set <see cref="StepsPerUpdate"/> to the episode limit). Default false.
    /// </summary>
    public bool UpdateAtEpisodeEnd { get; init; }

    /// <summary>
    /// ε of ε-greedy exploration on discrete actions: with this probability a uniformly random action replaces the
    /// policy's sample (default 0, off), in [0, 1]. The Mix &amp; Mask reference code starts at 1.
    /// </summary>
    public float ExplorationEpsilon { get; init; }

    /// <summary>ε ← decay·ε after every finished episode (default 1; the Mix &amp; Mask code halves it), in [0, 1].</summary>
    public float ExplorationEpsilonDecay { get; init; } = 1f;

    /// <summary>The critic's loss (default squared error).</summary>
    public ValueLossKind ValueLoss { get; init; } = ValueLossKind.SquaredError;

    /// <summary>
    /// Build the Mix &amp; Mask actor-critic network and objective (seed 000) instead of the default network; null
    /// (default) keeps <see cref="HiddenSizes"/>, <see cref="Activation"/> and <see cref="SharedNetwork"/>, which are
    /// ignored when this is set. See <see cref="MixMaskEstimatorExtensions"/> for the fluent form.
    /// </summary>
    public SharedFeatureOptions? SharedFeatures { get; init; }

    /// <summary>
    /// Build the relational actor-critic of AGILE (seed 003 ch. 3; <see cref="ActionSetActorCritic"/>) for an ActionSet
    /// action space: the actor scores each available action from its representation, related to the other available
    /// actions by a graph network, and the critic reads the state and the action set's summary. Null (default) keeps the
    /// masked categorical head over the whole universe; <see cref="HiddenSizes"/> and <see cref="SharedNetwork"/> are
    /// ignored when this is set, and it cannot be combined with <see cref="SharedFeatures"/>. See
    /// <see cref="ActionRelationEstimatorExtensions"/> for the fluent form.
    /// </summary>
    public ActionRelationOptions? ActionRelations { get; init; }

    /// <summary>
    /// Score the actions of an ActionSet action space with the utility policy of seed 003 ch. 2
    /// (<see cref="UtilityPolicyHead"/>): the actor's trunk encodes the state and a utility network scores each
    /// available action from its representation, so the policy can choose actions it never trained with. Null
    /// (default) keeps the masked categorical head over the whole universe. Cannot be combined with
    /// <see cref="ActionRelations"/> or <see cref="SharedFeatures"/>. See <see cref="ActionRelationEstimatorExtensions"/>
    /// for the fluent form.
    /// </summary>
    public UtilityPolicyOptions? UtilityPolicy { get; init; }

    /// <summary>Seed of network initialisation, action sampling and the environments' first reset; unset (the default) means 0, or the context's next seed when the estimator is made through <c>rl.Agents</c> (see <see cref="IAlgorithmOptions"/>).</summary>
    public ulong Seed { get => _seed ?? 0; init => _seed = value; }

    private ulong? _seed;

    bool ISeedableOptions.IsSeedSet => _seed.HasValue;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(A2cOptions);
        OptionRules.HalfOpenUnitInterval(LearningRate, record, nameof(LearningRate));
        OptionRules.AtLeast(StepsPerUpdate, 1, record, nameof(StepsPerUpdate));
        OptionRules.UnitInterval(Gamma, record, nameof(Gamma));
        OptionRules.UnitInterval(GaeLambda, record, nameof(GaeLambda));
        OptionRules.NonNegative(ValueCoefficient, record, nameof(ValueCoefficient));
        OptionRules.NonNegative(EntropyCoefficient, record, nameof(EntropyCoefficient));
        OptionRules.GreaterThan(MaxGradNorm, 0f, record, nameof(MaxGradNorm));
        OptionRules.Defined(Optimizer, record, nameof(Optimizer));
        OptionRules.InRange(RmsPropAlpha, 0f, 1f, record, nameof(RmsPropAlpha), maxInclusive: false);
        OptionRules.Positive(RmsPropEpsilon, record, nameof(RmsPropEpsilon));
        OptionRules.HiddenSizes(HiddenSizes, record, nameof(HiddenSizes));
        OptionRules.Defined(Activation, record, nameof(Activation));
        OptionRules.UnitInterval(ExplorationEpsilon, record, nameof(ExplorationEpsilon));
        OptionRules.UnitInterval(ExplorationEpsilonDecay, record, nameof(ExplorationEpsilonDecay));
        OptionRules.Defined(ValueLoss, record, nameof(ValueLoss));
        OptionRules.InRange(InitialLogStd, -20f, 2f, record, nameof(InitialLogStd));
        SharedFeatures?.Validate();
        ActionRelations?.Validate();
        UtilityPolicy?.Validate();
        OptionRules.Require(UtilityPolicy is null ? null : "set", UtilityPolicy is null || (ActionRelations is null && SharedFeatures is null),
            "null when ActionRelations or SharedFeatures is set (each builds its own actor)", record, nameof(UtilityPolicy));
        OptionRules.Require(ActionRelations is null ? null : "set", ActionRelations is null || SharedFeatures is null,
            "null when SharedFeatures is set (each builds its own network)", record, nameof(ActionRelations));
    }

    /// <summary>The hidden activation as a network layer.</summary>
    internal Nn.Activation HiddenActivation() => Nn.Activation.FromKind(Activation);
}
