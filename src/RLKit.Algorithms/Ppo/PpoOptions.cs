using RLKit.Algorithms.Common;
using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.MixMask;
using RLKit.Training;

namespace RLKit.Algorithms.Ppo;

/// <summary>
/// Hyperparameters of proximal policy optimisation (PPO-Clip; Schulman et al. 2017). Defaults are Stable-Baselines3's
/// <c>PPO</c> defaults: 2048 steps per environment per rollout, minibatches of 64, 10 epochs, learning rate 3e-4
/// (constant), γ 0.99, GAE λ 0.95, clip 0.2, no value clipping, no entropy bonus, value coefficient 0.5, gradient norm
/// clipped at 0.5, advantages normalised per minibatch, no target KL; separate 64-64 tanh actor and critic with
/// CleanRL's orthogonal initialisation; Adam with ε 1e-5 (CleanRL, SB3).
/// </summary>
/// <remarks>
/// <para>For CartPole-v1 the RL-Zoo tuned set (<see cref="CartPole"/>) learns in 1e5 steps with 8 environments.</para>
/// <para>Options are validated once, when a <see cref="PpoEstimator"/> is created; an invalid value throws an
/// <see cref="ArgumentOutOfRangeException"/> naming the option and its allowed range.</para>
/// </remarks>
public sealed record PpoOptions : IAlgorithmOptions
{
    /// <summary>Adam learning rate (SB3 default 3e-4), in (0, 1].</summary>
    public float LearningRate { get; init; } = 3e-4f;

    /// <summary>Decay the learning rate linearly to 0 over the budget (CleanRL's <c>anneal_lr</c>, RL-Zoo's <c>lin_</c>); default off (SB3).</summary>
    public bool LinearLearningRateDecay { get; init; }

    /// <summary>Steps each environment takes per rollout (SB3 <c>n_steps</c>, default 2048), ≥ 1. A rollout holds this × environment count transitions.</summary>
    public int StepsPerEnvironment { get; init; } = 2048;

    /// <summary>Rows per minibatch (SB3 <c>batch_size</c>, default 64), ≥ 1; capped at the rollout size.</summary>
    public int MinibatchSize { get; init; } = 64;

    /// <summary>Passes over each rollout (SB3 <c>n_epochs</c>, default 10), ≥ 1.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Discount γ (default 0.99), in [0, 1].</summary>
    public float Gamma { get; init; } = 0.99f;

    /// <summary>GAE λ (default 0.95), in [0, 1].</summary>
    public float GaeLambda { get; init; } = 0.95f;

    /// <summary>The policy ratio is clipped to [1 − ε, 1 + ε] (default ε = 0.2), in (0, 1).</summary>
    public float ClipRange { get; init; } = 0.2f;

    /// <summary>Decay the clip range linearly to 0 over the budget, as the learning rate (RL-Zoo's <c>clip_range: lin_0.2</c>); default off (SB3).</summary>
    public bool LinearClipRangeDecay { get; init; }

    /// <summary>
    /// Clip the new value to within this distance of the value at collection and take the larger of the clipped and
    /// unclipped squared errors (SB3 <c>clip_range_vf</c>, CleanRL's <c>clip_vloss</c> with the policy's ε). Null (the
    /// default, as SB3) disables value clipping; otherwise &gt; 0.
    /// </summary>
    public float? ValueClipRange { get; init; }

    /// <summary>Weight of the entropy bonus (SB3 default 0), ≥ 0.</summary>
    public float EntropyCoefficient { get; init; }

    /// <summary>Weight of the value loss (default 0.5), ≥ 0.</summary>
    public float ValueCoefficient { get; init; } = 0.5f;

    /// <summary>Clip the global gradient norm to this (default 0.5), &gt; 0; <see cref="float.PositiveInfinity"/> disables clipping.</summary>
    public float MaxGradNorm { get; init; } = 0.5f;

    /// <summary>Standardise advantages within each minibatch (default true).</summary>
    public bool NormalizeAdvantages { get; init; } = true;

    /// <summary>
    /// Stop the epochs of an update early once a minibatch's approximate KL divergence (Schulman's
    /// E[(r − 1) − log r]) exceeds 1.5 × this (SB3's rule, checked before the step). Null (default) never stops; otherwise &gt; 0.
    /// </summary>
    public float? TargetKl { get; init; }

    /// <summary>Hidden widths of the actor and of the critic trunks (default [64, 64]); at least one, each ≥ 1.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init => field = OptionList.From(value); } = OptionList.Of(64, 64);

    /// <summary>Share one trunk between actor and critic instead of two networks (default false, as SB3 and CleanRL).</summary>
    public bool SharedNetwork { get; init; }

    /// <summary>Initial log standard deviation of the Gaussian policy for continuous actions (default 0), in [−20, 2].</summary>
    public float InitialLogStd { get; init; }

    /// <summary>
    /// Build the Mix &amp; Mask actor-critic network and objective (seed 000) instead of the default network; null
    /// (default) keeps <see cref="HiddenSizes"/> and <see cref="SharedNetwork"/>, which are ignored when this is set.
    /// See <see cref="MixMaskEstimatorExtensions"/> for the fluent form.
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

    /// <summary>Seed of network initialisation, action sampling, minibatch shuffling and the first environment reset; unset (the default) means 0, or the context's next seed when the estimator is made through <c>rl.Agents</c> (see <see cref="IAlgorithmOptions"/>).</summary>
    public ulong Seed { get => _seed ?? 0; init => _seed = value; }

    private ulong? _seed;

    bool ISeedableOptions.IsSeedSet => _seed.HasValue;

    /// <summary>
    /// RL-Baselines3-Zoo's tuned CartPole-v1 hyperparameters (with 8 environments): 32 steps per environment, minibatches
    /// of 256, 20 epochs, γ 0.98, λ 0.8, learning rate 1e-3 and clip range 0.2, both decayed linearly, no entropy bonus.
    /// </summary>
    public static PpoOptions CartPole { get; } = new()
    {
        StepsPerEnvironment = 32,
        MinibatchSize = 256,
        Epochs = 20,
        Gamma = 0.98f,
        GaeLambda = 0.8f,
        LearningRate = 1e-3f,
        LinearLearningRateDecay = true,
        ClipRange = 0.2f,
        LinearClipRangeDecay = true,
        EntropyCoefficient = 0f,
    };

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(PpoOptions);
        OptionRules.HalfOpenUnitInterval(LearningRate, record, nameof(LearningRate));
        OptionRules.AtLeast(StepsPerEnvironment, 1, record, nameof(StepsPerEnvironment));
        OptionRules.AtLeast(MinibatchSize, 1, record, nameof(MinibatchSize));
        OptionRules.AtLeast(Epochs, 1, record, nameof(Epochs));
        OptionRules.UnitInterval(Gamma, record, nameof(Gamma));
        OptionRules.UnitInterval(GaeLambda, record, nameof(GaeLambda));
        OptionRules.InRange(ClipRange, 0f, 1f, record, nameof(ClipRange), minInclusive: false, maxInclusive: false);
        OptionRules.PositiveOrNull(ValueClipRange, record, nameof(ValueClipRange));
        OptionRules.NonNegative(EntropyCoefficient, record, nameof(EntropyCoefficient));
        OptionRules.NonNegative(ValueCoefficient, record, nameof(ValueCoefficient));
        OptionRules.GreaterThan(MaxGradNorm, 0f, record, nameof(MaxGradNorm));
        OptionRules.PositiveOrNull(TargetKl, record, nameof(TargetKl));
        OptionRules.HiddenSizes(HiddenSizes, record, nameof(HiddenSizes));
        OptionRules.InRange(InitialLogStd, -20f, 2f, record, nameof(InitialLogStd));
        SharedFeatures?.Validate();
        ActionRelations?.Validate();
        UtilityPolicy?.Validate();
        OptionRules.Require(UtilityPolicy is null ? null : "set", UtilityPolicy is null || (ActionRelations is null && SharedFeatures is null),
            "null when ActionRelations or SharedFeatures is set (each builds its own actor)", record, nameof(UtilityPolicy));
        OptionRules.Require(ActionRelations is null ? null : "set", ActionRelations is null || SharedFeatures is null,
            "null when SharedFeatures is set (each builds its own network)", record, nameof(ActionRelations));
    }
}
