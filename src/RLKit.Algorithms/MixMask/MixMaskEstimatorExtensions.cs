using RLKit.Algorithms.PolicyGradient;

namespace RLKit.Algorithms.MixMask;

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
    public static A2cEstimator WithMix(this A2cEstimator estimator, MixOptions mix, Similarity? similarity = null, float? temperature = null, float? decay = null) =>
        With(estimator, f => f with { Mix = Penalty(mix, similarity, temperature, decay) });

    /// <summary>Adds (or replaces) the mask mechanism; the optional arguments override the penalty settings of <paramref name="mask"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the resulting options are invalid (the message names the option).</exception>
    public static A2cEstimator WithMask(this A2cEstimator estimator, MaskOptions mask, Similarity? divergence = null, float? temperature = null, float? decay = null) =>
        With(estimator, f => f with { Mask = Penalty(mask, divergence, temperature, decay) });

    /// <summary>Uses the shared-backbone baseline (two heads on one backbone) when there is no mix or mask.</summary>
    public static A2cEstimator WithSharedBackbone(this A2cEstimator estimator) => With(estimator, f => f with { SharedBackbone = true });

    /// <summary>Standardises the policy and value objectives (distributional scalarisation; default z = 2.326, stationary).</summary>
    public static A2cEstimator WithScalarization(this A2cEstimator estimator, ScalarizationOptions? scalarization = null) =>
        With(estimator, f => f with { Scalarization = scalarization ?? new ScalarizationOptions() });

    /// <summary>Projects conflicting gradients on the shared-feature parameters (PCGrad, eq. 14).</summary>
    public static A2cEstimator WithPcGrad(this A2cEstimator estimator) => With(estimator, f => f with { PcGrad = true });

    /// <summary>Trains the mechanisms with the contrastive loss instead of their penalties (eq. 13).</summary>
    public static A2cEstimator WithContrastive(this A2cEstimator estimator, ContrastiveOptions? contrastive = null) =>
        With(estimator, f => f with { Contrastive = contrastive ?? new ContrastiveOptions() });

    /// <summary>Adds (or replaces) the mix mechanism; the optional arguments override the penalty settings of <paramref name="mix"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the resulting options are invalid (the message names the option).</exception>
    public static PpoEstimator WithMix(this PpoEstimator estimator, MixOptions mix, Similarity? similarity = null, float? temperature = null, float? decay = null) =>
        With(estimator, f => f with { Mix = Penalty(mix, similarity, temperature, decay) });

    /// <summary>Adds (or replaces) the mask mechanism; the optional arguments override the penalty settings of <paramref name="mask"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the resulting options are invalid (the message names the option).</exception>
    public static PpoEstimator WithMask(this PpoEstimator estimator, MaskOptions mask, Similarity? divergence = null, float? temperature = null, float? decay = null) =>
        With(estimator, f => f with { Mask = Penalty(mask, divergence, temperature, decay) });

    /// <summary>Uses the shared-backbone baseline (two heads on one backbone) when there is no mix or mask.</summary>
    public static PpoEstimator WithSharedBackbone(this PpoEstimator estimator) => With(estimator, f => f with { SharedBackbone = true });

    /// <summary>Standardises the policy and value objectives (distributional scalarisation; default z = 2.326, stationary).</summary>
    public static PpoEstimator WithScalarization(this PpoEstimator estimator, ScalarizationOptions? scalarization = null) =>
        With(estimator, f => f with { Scalarization = scalarization ?? new ScalarizationOptions() });

    /// <summary>Projects conflicting gradients on the shared-feature parameters (PCGrad, eq. 14).</summary>
    public static PpoEstimator WithPcGrad(this PpoEstimator estimator) => With(estimator, f => f with { PcGrad = true });

    /// <summary>Trains the mechanisms with the contrastive loss instead of their penalties (eq. 13).</summary>
    public static PpoEstimator WithContrastive(this PpoEstimator estimator, ContrastiveOptions? contrastive = null) =>
        With(estimator, f => f with { Contrastive = contrastive ?? new ContrastiveOptions() });

    private static A2cEstimator With(A2cEstimator estimator, Func<SharedFeatureOptions, SharedFeatureOptions> change)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return new A2cEstimator(estimator.Options with { SharedFeatures = change(estimator.Options.SharedFeatures ?? new SharedFeatureOptions()) }, estimator.Callbacks);
    }

    private static PpoEstimator With(PpoEstimator estimator, Func<SharedFeatureOptions, SharedFeatureOptions> change)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return new PpoEstimator(estimator.Options with { SharedFeatures = change(estimator.Options.SharedFeatures ?? new SharedFeatureOptions()) }, estimator.Callbacks);
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
    public static A2cOptions PaperOptions(int seed = 0) => new()
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
