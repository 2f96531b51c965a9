using RLKit.Algorithms.A2c;




namespace RLKit.Algorithms.MixMask;

/// <summary>
/// An estimator whose actor-critic can be built from Mix &amp; Mask shared features (A2C and PPO). The fluent methods
/// of <see cref="MixMaskEstimatorExtensions"/> work on any of them.
/// </summary>
/// <typeparam name="TSelf">The estimator's own type, which the fluent methods return.</typeparam>
public interface ISharedFeatureEstimator<TSelf> where TSelf : ISharedFeatureEstimator<TSelf>
{
    /// <summary>The shared-feature options, or null for the estimator's plain actor-critic.</summary>
    SharedFeatureOptions? SharedFeatures { get; }

    /// <summary>A copy of the estimator, callbacks kept, whose options use <paramref name="sharedFeatures"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the resulting options are invalid (the message names the option).</exception>
    TSelf WithSharedFeatures(SharedFeatureOptions sharedFeatures);
}

/// <summary>
/// The fluent form of <see cref="SharedFeatureOptions"/> on the A2C and PPO estimators, e.g.
/// <c>rl.Agents.A2c(MixMaskA2c.PaperOptions()).WithMix(Mix.CrossAttention(), Similarity.Cosine, temperature: 1e-4f).WithPcGrad()</c>.
/// Each call returns a new estimator (callbacks kept) whose options have the Mix &amp; Mask part changed; the first call
/// switches the estimator to the <see cref="SharedFeatureNetwork"/>, starting from the separated-networks baseline.
/// </summary>
public static class MixMaskEstimatorExtensions
{
    /// <summary>Adds (or replaces) the mix mechanism; the optional arguments override the penalty settings of <paramref name="mix"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the resulting options are invalid (the message names the option).</exception>
    public static TEstimator WithMix<TEstimator>(this TEstimator estimator, MixOptions mix, Similarity? similarity = null, float? temperature = null, float? decay = null)
        where TEstimator : ISharedFeatureEstimator<TEstimator> =>
        With(estimator, f => f with { Mix = Penalty(mix, similarity, temperature, decay) });

    /// <summary>Adds (or replaces) the mask mechanism; the optional arguments override the penalty settings of <paramref name="mask"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the resulting options are invalid (the message names the option).</exception>
    public static TEstimator WithMask<TEstimator>(this TEstimator estimator, MaskOptions mask, Similarity? divergence = null, float? temperature = null, float? decay = null)
        where TEstimator : ISharedFeatureEstimator<TEstimator> =>
        With(estimator, f => f with { Mask = Penalty(mask, divergence, temperature, decay) });

    /// <summary>Uses the shared-backbone baseline (two heads on one backbone) when there is no mix or mask.</summary>
    public static TEstimator WithSharedBackbone<TEstimator>(this TEstimator estimator) where TEstimator : ISharedFeatureEstimator<TEstimator> =>
        With(estimator, f => f with { SharedBackbone = true });

    /// <summary>Standardises the policy and value objectives (distributional scalarisation; default z = 2.326, stationary).</summary>
    public static TEstimator WithScalarization<TEstimator>(this TEstimator estimator, ScalarizationOptions? scalarization = null)
        where TEstimator : ISharedFeatureEstimator<TEstimator> =>
        With(estimator, f => f with { Scalarization = scalarization ?? new ScalarizationOptions() });

    /// <summary>Projects conflicting gradients on the shared-feature parameters (PCGrad, eq. 14).</summary>
    public static TEstimator WithPcGrad<TEstimator>(this TEstimator estimator) where TEstimator : ISharedFeatureEstimator<TEstimator> =>
        With(estimator, f => f with { PcGrad = true });

    /// <summary>Trains the mechanisms with the contrastive loss instead of their penalties (eq. 13).</summary>
    public static TEstimator WithContrastive<TEstimator>(this TEstimator estimator, ContrastiveOptions? contrastive = null)
        where TEstimator : ISharedFeatureEstimator<TEstimator> =>
        With(estimator, f => f with { Contrastive = contrastive ?? new ContrastiveOptions() });

    private static TEstimator With<TEstimator>(TEstimator estimator, Func<SharedFeatureOptions, SharedFeatureOptions> change)
        where TEstimator : ISharedFeatureEstimator<TEstimator>
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return estimator.WithSharedFeatures(change(estimator.SharedFeatures ?? new SharedFeatureOptions()));
    }

    private static T Penalty<T>(T mechanism, Similarity? similarity, float? temperature, float? decay) where T : FeatureMechanismOptions
    {
        ArgumentNullException.ThrowIfNull(mechanism);
        return mechanism with
        {
            Similarity = similarity ?? mechanism.Similarity,
            Temperature = temperature ?? mechanism.Temperature,
            TemperatureDecay = decay ?? mechanism.TemperatureDecay,
        };
    }
}

/// <summary>The Mix &amp; Mask paper's A2C protocol (seed 000 §3 and §5; REFERENCE.md), as options to start from.</summary>
public static class MixMaskA2c
{
    /// <summary>
    /// A2C as the reference code trains it on CartPole: one episode per update (up to 500 steps, one environment),
    /// Monte-Carlo GAE with γ = 0.99 and λ = 0.99, smooth-L1 value loss, entropy bonus 1e-3, Adam with learning rate
    /// 1e-2, no gradient clipping, ε-greedy exploration starting at 1 and halved after every episode, and the
    /// separated-networks baseline (add a mix or mask with <see cref="MixMaskEstimatorExtensions"/> or
    /// <c>with { SharedFeatures = … }</c>).
    /// </summary>
    /// <remarks>
    /// Measured in RLKit (docs/results/mixmask.md): at the paper's learning rate of 1e-2 the mix and mask networks'
    /// policies collapse to one action within a few episodes. They learn at 1e-3, the best rate found for them, while
    /// the baselines do best at 3e-3. Pass <c>PaperOptions(seed) with { LearningRate = 1e-3f }</c> for the mechanisms.
    /// </remarks>
    /// <param name="seed">The run's seed.</param>
    public static A2cOptions PaperOptions(ulong seed = 0) => new()
    {
        Seed = seed,
        Optimizer = A2cOptimizer.Adam,
        LearningRate = 1e-2f,
        StepsPerUpdate = 500,
        UpdateAtEpisodeEnd = true,
        Gamma = 0.99f,
        GaeLambda = 0.99f,
        ValueLoss = ValueLossKind.SmoothL1,
        ValueCoefficient = 1f,
        EntropyCoefficient = 1e-3f,
        MaxGradNorm = float.PositiveInfinity,
        ExplorationEpsilon = 1f,
        ExplorationEpsilonDecay = 0.5f,
        SharedFeatures = new SharedFeatureOptions(),
    };
}
