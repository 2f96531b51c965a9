using RLKit.Training;

namespace RLKit.Algorithms.MixMask;

/// <summary>
/// What mix and mask mechanisms share: how their output reaches the heads, whether it is a distribution, and the
/// penalty that shapes it (seed 000 §4.1–4.3). Build one with the <see cref="Mix"/> or <see cref="Mask"/> factories.
/// </summary>
public abstract record FeatureMechanismOptions
{
    /// <summary>How the output is joined with the latent it replaces (default none).</summary>
    public SkipConnection Skip { get; init; } = SkipConnection.None;

    /// <summary>
    /// Auxiliary mechanism (§4.3): the output feeds only the penalty, not the heads, and the penalty's gradient then
    /// also shapes the layers before the mechanism. Default false.
    /// </summary>
    public bool Auxiliary { get; init; }

    /// <summary>Whether the output is a point or a Gaussian (default deterministic).</summary>
    public FeatureDistribution Distribution { get; init; } = FeatureDistribution.Deterministic;

    /// <summary>
    /// For Gaussian outputs: the (log-)scale comes from an MLP of the mechanism's input (state-dependent) instead of
    /// free parameters (state-independent, the default).
    /// </summary>
    public bool StateDependentCovariance { get; init; }

    /// <summary>
    /// The penalty's measure (default cosine). Cosine needs deterministic outputs; the divergences need Gaussian ones.
    /// </summary>
    public Similarity Similarity { get; init; } = Similarity.Cosine;

    /// <summary>The penalty's temperature α (default 1e-4, the reference code's), finite and ≥ 0.</summary>
    public float Temperature { get; init; } = 1e-4f;

    /// <summary>α ← decay·α after every update (τ in the paper), in [0, 1]; default 1 keeps α fixed, as in the paper's main results.</summary>
    public float TemperatureDecay { get; init; } = 1f;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public abstract void Validate();

    /// <summary>Checks the options every mechanism shares; <paramref name="record"/> names the mechanism's record in messages.</summary>
    private protected void ValidateShared(string record)
    {
        OptionRules.Defined(Skip, record, nameof(Skip));
        OptionRules.Defined(Distribution, record, nameof(Distribution));
        OptionRules.Defined(Similarity, record, nameof(Similarity));
        bool deterministic = Distribution == FeatureDistribution.Deterministic;
        OptionRules.Require(Similarity, deterministic == (Similarity == Similarity.Cosine),
            $"Cosine for a deterministic mechanism and InformationRadius, JDivergence or ArithmeticGeometric for a Gaussian one (Distribution is {Distribution})",
            record, nameof(Similarity));
        OptionRules.NonNegative(Temperature, record, nameof(Temperature));
        OptionRules.UnitInterval(TemperatureDecay, record, nameof(TemperatureDecay));
    }

    /// <summary>
    /// <paramref name="mechanism"/> with the factories' common arguments; a Gaussian mechanism's penalty defaults to the
    /// information radius, a deterministic one's to the cosine.
    /// </summary>
    internal static T Configure<T>(T mechanism, SkipConnection skip, bool auxiliary, FeatureDistribution distribution, bool stateDependent)
        where T : FeatureMechanismOptions =>
        (T)(mechanism with
        {
            Skip = skip,
            Auxiliary = auxiliary,
            Distribution = distribution,
            StateDependentCovariance = stateDependent,
            Similarity = distribution == FeatureDistribution.Deterministic ? Similarity.Cosine : Similarity.InformationRadius,
        });
}

/// <summary>A mix mechanism: separate actor and critic trunks whose latents are coupled (seed 000 §4.1).</summary>
public sealed record MixOptions : FeatureMechanismOptions
{
    /// <summary>The representation (default the base MLP).</summary>
    public MixKind Kind { get; init; } = MixKind.Mlp;

    /// <summary>Repeated blocks of the Mixer and Conv representations (default 3, as in the reference code), in [1, 16].</summary>
    public int Blocks { get; init; } = 3;

    /// <summary>Kernel width of the Conv representation (default 3, zero-padded to keep the width), odd, in [1, 15].</summary>
    public int KernelSize { get; init; } = 3;

    /// <inheritdoc/>
    public override void Validate()
    {
        const string record = nameof(MixOptions);
        ValidateShared(record);
        OptionRules.Defined(Kind, record, nameof(Kind));
        OptionRules.InRange(Blocks, 1, 16, record, nameof(Blocks));
        OptionRules.Require(KernelSize, KernelSize is >= 1 and <= 15 && KernelSize % 2 == 1, "odd and in [1, 15]", record, nameof(KernelSize));
    }
}

/// <summary>A mask mechanism: a shared backbone whose latent is decoupled into the actor's and the critic's (seed 000 §4.2).</summary>
public sealed record MaskOptions : FeatureMechanismOptions
{
    /// <summary>The representation (default the base MLP).</summary>
    public MaskKind Kind { get; init; } = MaskKind.Mlp;

    /// <inheritdoc/>
    public override void Validate()
    {
        const string record = nameof(MaskOptions);
        ValidateShared(record);
        OptionRules.Defined(Kind, record, nameof(Kind));
    }
}

/// <summary>Factories for <see cref="MixOptions"/>, one per representation of seed 000 §4.1.</summary>
public static class Mix
{
    /// <summary>The base mix: two MLPs over [x_π, x_v].</summary>
    public static MixOptions Mlp(SkipConnection skip = SkipConnection.None, bool auxiliary = false,
                                 FeatureDistribution distribution = FeatureDistribution.Deterministic, bool stateDependentCovariance = false) =>
        Create(MixKind.Mlp, skip, auxiliary, distribution, stateDependentCovariance);

    /// <summary>The MLP-Mixer mix with <paramref name="blocks"/> channel-then-feature blocks.</summary>
    public static MixOptions Mixer(int blocks = 3, SkipConnection skip = SkipConnection.None, bool auxiliary = false,
                                   FeatureDistribution distribution = FeatureDistribution.Deterministic, bool stateDependentCovariance = false) =>
        Create(MixKind.Mixer, skip, auxiliary, distribution, stateDependentCovariance) with { Blocks = blocks };

    /// <summary>The convolutional mix with <paramref name="blocks"/> two-channel convolutions of width <paramref name="kernelSize"/>.</summary>
    public static MixOptions Conv(int blocks = 3, int kernelSize = 3, SkipConnection skip = SkipConnection.None, bool auxiliary = false,
                                  FeatureDistribution distribution = FeatureDistribution.Deterministic, bool stateDependentCovariance = false) =>
        Create(MixKind.Conv, skip, auxiliary, distribution, stateDependentCovariance) with { Blocks = blocks, KernelSize = kernelSize };

    /// <summary>The cross-attention mix.</summary>
    public static MixOptions CrossAttention(SkipConnection skip = SkipConnection.None, bool auxiliary = false,
                                            FeatureDistribution distribution = FeatureDistribution.Deterministic, bool stateDependentCovariance = false) =>
        Create(MixKind.CrossAttention, skip, auxiliary, distribution, stateDependentCovariance);

    private static MixOptions Create(MixKind kind, SkipConnection skip, bool auxiliary, FeatureDistribution distribution, bool stateDependent) =>
        FeatureMechanismOptions.Configure(new MixOptions { Kind = kind }, skip, auxiliary, distribution, stateDependent);
}

/// <summary>Factories for <see cref="MaskOptions"/>, one per representation of seed 000 §4.2.</summary>
public static class Mask
{
    /// <summary>The base mask: one MLP per side.</summary>
    public static MaskOptions Mlp(SkipConnection skip = SkipConnection.None, bool auxiliary = false,
                                  FeatureDistribution distribution = FeatureDistribution.Deterministic, bool stateDependentCovariance = false) =>
        Create(MaskKind.Mlp, skip, auxiliary, distribution, stateDependentCovariance);

    /// <summary>One self-attention module per side.</summary>
    public static MaskOptions SelfAttention(SkipConnection skip = SkipConnection.None, bool auxiliary = false,
                                            FeatureDistribution distribution = FeatureDistribution.Deterministic, bool stateDependentCovariance = false) =>
        Create(MaskKind.SelfAttention, skip, auxiliary, distribution, stateDependentCovariance);

    /// <summary>Self-attention per side with a learned query shared by both.</summary>
    public static MaskOptions LatentQuery(SkipConnection skip = SkipConnection.None, bool auxiliary = false,
                                          FeatureDistribution distribution = FeatureDistribution.Deterministic, bool stateDependentCovariance = false) =>
        Create(MaskKind.LatentQuery, skip, auxiliary, distribution, stateDependentCovariance);

    /// <summary>One shared self-attention; the critic reads the inverted, renormalised policy attention (eq. 11).</summary>
    public static MaskOptions SharedAttention(SkipConnection skip = SkipConnection.None, bool auxiliary = false,
                                              FeatureDistribution distribution = FeatureDistribution.Deterministic, bool stateDependentCovariance = false) =>
        Create(MaskKind.SharedAttention, skip, auxiliary, distribution, stateDependentCovariance);

    private static MaskOptions Create(MaskKind kind, SkipConnection skip, bool auxiliary, FeatureDistribution distribution, bool stateDependent) =>
        FeatureMechanismOptions.Configure(new MaskOptions { Kind = kind }, skip, auxiliary, distribution, stateDependent);
}
