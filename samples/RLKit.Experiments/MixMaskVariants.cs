using RLKit.Algorithms.MixMask;




namespace RLKit.Experiments;

/// <summary>
/// The networks compared in seed 000's figures, by name: the baselines (Fig. 4), the mix and mask representations
/// (Fig. 5) and the ablations (Fig. 7). Each maps the paper's base <see cref="SharedFeatureOptions"/> to the variant's.
/// </summary>
internal static class MixMaskVariants
{
    private static readonly (string Name, string Figure, Func<SharedFeatureOptions, SharedFeatureOptions> Apply)[] All =
    [
        ("separated", "fig4", o => o with { SharedBackbone = false }),
        ("shared", "fig4", o => o with { SharedBackbone = true }),
        ("mix-mlp", "fig4", o => o with { Mix = Mix.Mlp() }),
        ("mask-mlp", "fig4", o => o with { Mask = Mask.Mlp() }),
        ("mixmask", "fig4", o => o with { Mix = Mix.Mlp(), Mask = Mask.Mlp() }),
        ("mix-mixer", "fig5", o => o with { Mix = Mix.Mixer() }),
        ("mix-conv", "fig5", o => o with { Mix = Mix.Conv() }),
        ("mix-xattn", "fig5", o => o with { Mix = Mix.CrossAttention() }),
        ("mask-sa", "fig5", o => o with { Mask = Mask.SelfAttention() }),
        ("mask-lq", "fig5", o => o with { Mask = Mask.LatentQuery() }),
        ("mask-shared", "fig5", o => o with { Mask = Mask.SharedAttention() }),
        ("mix-dense", "fig7-skip", o => o with { Mix = Mix.Mlp(skip: SkipConnection.Dense) }),
        ("mix-residual", "fig7-skip", o => o with { Mix = Mix.Mlp(skip: SkipConnection.Residual) }),
        ("mask-dense", "fig7-skip", o => o with { Mask = Mask.Mlp(skip: SkipConnection.Dense) }),
        ("mask-residual", "fig7-skip", o => o with { Mask = Mask.Mlp(skip: SkipConnection.Residual) }),
        ("mix-aux", "fig7-aux", o => o with { Mix = Mix.Mlp(auxiliary: true) }),
        ("mask-aux", "fig7-aux", o => o with { Mask = Mask.Mlp(auxiliary: true) }),
        ("mix-contrastive", "fig7-contrastive", o => o with { Mix = Mix.Mlp(), Contrastive = new ContrastiveOptions() }),
        ("mask-contrastive", "fig7-contrastive", o => o with { Mask = Mask.Mlp(), Contrastive = new ContrastiveOptions() }),
        ("mix-scalar", "fig7-multiobjective", o => o with { Mix = Mix.Mlp(), Scalarization = new ScalarizationOptions() }),
        ("mask-scalar", "fig7-multiobjective", o => o with { Mask = Mask.Mlp(), Scalarization = new ScalarizationOptions() }),
        ("mix-pcgrad", "fig7-multiobjective", o => o with { Mix = Mix.Mlp(), PcGrad = true }),
        ("mask-pcgrad", "fig7-multiobjective", o => o with { Mask = Mask.Mlp(), PcGrad = true }),
        ("mix-diag", "fig7-gaussian", o => o with { Mix = Mix.Mlp(distribution: FeatureDistribution.DiagonalGaussian) }),
        ("mask-diag", "fig7-gaussian", o => o with { Mask = Mask.Mlp(distribution: FeatureDistribution.DiagonalGaussian) }),
        ("mix-chol", "fig7-gaussian", o => o with { Mix = Mix.Mlp(distribution: FeatureDistribution.CholeskyGaussian) }),
        ("mask-chol", "fig7-gaussian", o => o with { Mask = Mask.Mlp(distribution: FeatureDistribution.CholeskyGaussian) }),
        // State-dependent covariances (§4.1): Σ from an MLP of the mechanism's input instead of free parameters.
        ("mix-diag-sd", "fig7-gaussian-sd", o => o with { Mix = Mix.Mlp(distribution: FeatureDistribution.DiagonalGaussian, stateDependentCovariance: true) }),
        ("mask-diag-sd", "fig7-gaussian-sd", o => o with { Mask = Mask.Mlp(distribution: FeatureDistribution.DiagonalGaussian, stateDependentCovariance: true) }),
        ("mix-chol-sd", "fig7-gaussian-sd", o => o with { Mix = Mix.Mlp(distribution: FeatureDistribution.CholeskyGaussian, stateDependentCovariance: true) }),
        ("mask-chol-sd", "fig7-gaussian-sd", o => o with { Mask = Mask.Mlp(distribution: FeatureDistribution.CholeskyGaussian, stateDependentCovariance: true) }),
        // Controls added for issue 18: the mix network's depth without its coupling, and mix-and-mask without the
        // reference code's LayerNorms (the form RLKit built before).
        ("separated-deep", "controls", o => o with { DepthMatched = true }),
        ("mixmask-nonorm", "controls", o => o with { Mix = Mix.Mlp(), Mask = Mask.Mlp(), MixAndMaskLayerNorm = false }),
    ];

    /// <summary>Every variant name, in the order they are run and reported.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(v => v.Name).ToArray();

    /// <summary>The figure (panel) of seed 000 a variant belongs to: "fig4", "fig5" or "fig7-…" (skip, aux, contrastive, multiobjective, gaussian).</summary>
    public static string FigureOf(string name) => All.First(v => v.Name == name).Figure;

    /// <summary>
    /// The variant's shared-feature options built on <paramref name="paper"/> (the paper's widths, activation and
    /// initialisation), with the command line's <paramref name="overrides"/> applied to every mechanism.
    /// </summary>
    public static SharedFeatureOptions Build(string name, SharedFeatureOptions paper, MechanismOverrides overrides)
    {
        var baseline = paper with { SharedBackbone = false, Mix = null, Mask = null, Contrastive = null, Scalarization = null, PcGrad = false };
        var options = All.First(v => v.Name == name).Apply(baseline);
        options = options with
        {
            Mix = options.Mix is null ? null : (MixOptions)overrides.Apply(options.Mix),
            Mask = options.Mask is null ? null : (MaskOptions)overrides.Apply(options.Mask),
        };
        options.Validate();
        return options;
    }
}

/// <summary>
/// Command-line changes to every mechanism of a variant: the penalty temperature α, its decay τ, and the divergence
/// of Gaussian mechanisms (deterministic ones keep the cosine). A null field keeps the variant's own value.
/// </summary>
internal sealed record MechanismOverrides(float? Temperature = null, float? TemperatureDecay = null, Similarity? GaussianSimilarity = null)
{
    public FeatureMechanismOptions Apply(FeatureMechanismOptions mechanism) => mechanism with
    {
        Temperature = Temperature ?? mechanism.Temperature,
        TemperatureDecay = TemperatureDecay ?? mechanism.TemperatureDecay,
        Similarity = GaussianSimilarity is { } similarity && mechanism.Distribution != FeatureDistribution.Deterministic
            ? similarity : mechanism.Similarity,
    };
}
