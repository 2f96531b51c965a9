using RLKit.Nn;
using RLKit.Training;

namespace RLKit.Algorithms.MixMask;

/// <summary>
/// The actor-critic network and objective of the Mix &amp; Mask actor-critic (seed 000), usable by A2C and PPO. With
/// neither <see cref="Mix"/> nor <see cref="MaskOptions"/> it builds the paper's baselines: separated networks, or a
/// shared backbone with two heads (<see cref="SharedBackbone"/>). Defaults follow the reference code: width 128,
/// LeakyReLU, weights N(0, 0.1) and biases 0.1.
/// </summary>
/// <remarks>
/// Networks (hidden width H):
/// <list type="bullet">
/// <item>Separated: actor and critic trunks Linear(obs, H)–act–Linear(H, H)–act; heads Linear(H, |A|) and Linear(H, 1).</item>
/// <item>Depth-matched separated (<see cref="DepthMatched"/>): the separated trunks, then per side Linear(2H, H)–act over
/// [x_own, x_own], then the heads: the mix network's layers and parameter count without the coupling.</item>
/// <item>Mix: the separated trunks, then the mix couples their latents; each side's mix input detaches the other side's latent.</item>
/// <item>Shared backbone: Linear(obs, H)–act shared; heads Linear(H, H)–act–Linear(H, |A| or 1).</item>
/// <item>Mask: the backbone, then the mask splits its latent into the two heads' inputs.</item>
/// <item>Mix and mask: backbone, mask, LayerNorm, Linear(H, H)–act per side, then the mix, LayerNorm, then linear heads
/// (the reference code's MLPMixMask_Network; <see cref="MixAndMaskLayerNorm"/> = false drops the two LayerNorms).</item>
/// </list>
/// The penalties' gradients reach only the mechanism's own parameters (eqs. 6 and 12) unless it is auxiliary.
/// </remarks>
public sealed record SharedFeatureOptions
{
    /// <summary>Hidden width H of every layer (default 128), in [1, 4096].</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>Hidden activation (default LeakyReLU, slope 0.01).</summary>
    public ActivationKind Activation { get; init; } = ActivationKind.LeakyReLU;

    /// <summary>
    /// Initialise every linear layer as the reference code does, weights N(0, 0.1) and biases 0.1 (default true);
    /// false uses orthogonal weights (gain √2, 0.01 for the policy output, 1 for the value) and zero biases.
    /// </summary>
    public bool PaperInitialization { get; init; } = true;

    /// <summary>Without a mix or mask: one shared backbone with two heads instead of separated networks. Default false.</summary>
    public bool SharedBackbone { get; init; }

    /// <summary>
    /// Separated networks as deep and as large as the base mix network, for telling the mix's coupling apart from its
    /// extra layer: each side gets one more Linear(2H, H)–act before its head, reading its own latent twice,
    /// [x_own, x_own detached], where the mix's layer reads [x_own, x_other detached]. Same layers, parameter count,
    /// fan-in and trunk gradient path as the mix; no information from the other side. Needs no Mix, no Mask and no
    /// <see cref="SharedBackbone"/>. Default false.
    /// </summary>
    public bool DepthMatched { get; init; }

    /// <summary>The mix mechanism, or null for none.</summary>
    public MixOptions? Mix { get; init; }

    /// <summary>The mask mechanism, or null for none. With a mix too, the network is the paper's mix-and-mask.</summary>
    public MaskOptions? Mask { get; init; }

    /// <summary>
    /// In the mix-and-mask network (both <see cref="Mix"/> and <see cref="Mask"/> set), normalise each side's mask output
    /// and each side's mix output with a LayerNorm(H), as the reference code's MLPMixMask_Network does (default true).
    /// False gives the form RLKit built before (no normalisation). The base mix and mask networks have no LayerNorm in
    /// the reference code, so this option does not apply to them.
    /// </summary>
    public bool MixAndMaskLayerNorm { get; init; } = true;

    /// <summary>Train the mechanisms with the contrastive loss (§4.3, eq. 13) instead of their penalties, or null (default).</summary>
    public ContrastiveOptions? Contrastive { get; init; }

    /// <summary>Standardise the policy and value objectives with a fitted normal model (§4.3), or null (default).</summary>
    public ScalarizationOptions? Scalarization { get; init; }

    /// <summary>Project conflicting gradients of the policy, value and penalty/entropy objectives on the shared-feature parameters (eq. 14). Default false.</summary>
    public bool PcGrad { get; init; }

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    /// <exception cref="ArgumentException">If the combination is not a network the paper defines.</exception>
    public void Validate()
    {
        const string record = nameof(SharedFeatureOptions);
        OptionRules.InRange(HiddenSize, 1, 4096, record, nameof(HiddenSize));
        OptionRules.Defined(Activation, record, nameof(Activation));
        Mix?.Validate();
        Mask?.Validate();
        Contrastive?.Validate();
        Scalarization?.Validate();
        if (SharedBackbone && Mix is not null && Mask is null)
            throw new ArgumentException("SharedFeatureOptions: a mix needs separate actor and critic latents; with SharedBackbone = true add a Mask (mix-and-mask) or drop the Mix.", nameof(SharedBackbone));
        if (DepthMatched && (Mix is not null || Mask is not null || SharedBackbone))
            throw new ArgumentException("SharedFeatureOptions.DepthMatched is a separated-networks baseline; it needs Mix = null, Mask = null and SharedBackbone = false.", nameof(DepthMatched));
        if (Contrastive is not null && Mix is null && Mask is null)
            throw new ArgumentException("SharedFeatureOptions.Contrastive trains a mix or mask mechanism; set Mix or Mask too.", nameof(Contrastive));
        bool gaussian = Mix is { Distribution: not FeatureDistribution.Deterministic } || Mask is { Distribution: not FeatureDistribution.Deterministic };
        if (Contrastive is not null && gaussian)
            throw new ArgumentException("SharedFeatureOptions.Contrastive compares deterministic features; use FeatureDistribution.Deterministic mechanisms with it.", nameof(Contrastive));
    }

    /// <summary>The hidden activation as a layer.</summary>
    internal Nn.Activation HiddenActivation() => Nn.Activation.FromKind(Activation);

    /// <summary>A short human-readable description, e.g. "mix(Mlp, Cosine α=0.0001)+mask(Mlp)".</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Mix is not null) parts.Add($"mix({Mix.Kind}{Describe(Mix)})");
        if (Mask is not null) parts.Add($"mask({Mask.Kind}{Describe(Mask)})");
        if (Mix is not null && Mask is not null && MixAndMaskLayerNorm) parts.Add("layernorm");
        if (parts.Count == 0) parts.Add(SharedBackbone ? "shared-backbone" : DepthMatched ? "separated-depth-matched" : "separated");
        if (Contrastive is not null) parts.Add($"contrastive(m={Contrastive.Momentum})");
        if (Scalarization is not null) parts.Add($"scalarization(z={Scalarization.ZScore}{(Scalarization.RefitInterval > 0 ? $", refit every {Scalarization.RefitInterval}" : "")})");
        if (PcGrad) parts.Add("pcgrad");
        return string.Join("+", parts);

        static string Describe(FeatureMechanismOptions m) =>
            (m.Skip == SkipConnection.None ? "" : $", {m.Skip} skip") + (m.Auxiliary ? ", auxiliary" : "")
            + (m.Distribution == FeatureDistribution.Deterministic ? "" : $", {m.Distribution}{(m.StateDependentCovariance ? " state-dependent" : "")}")
            + $", {m.Similarity} α={m.Temperature}" + (m.TemperatureDecay < 1 ? $" τ={m.TemperatureDecay}" : "");
    }
}

/// <summary>
/// Contrastive representation learning for the mechanisms (seed 000 §4.3, eq. 13): momentum copies of the mix/mask
/// give the keys, a learned bilinear W scores query·W·key, and a cross-entropy with the positive key as the label
/// replaces the penalty. As in the reference code, every anchor's logits run over the whole batch of keys, the other
/// rows being its negatives.
/// </summary>
public sealed record ContrastiveOptions
{
    /// <summary>Momentum m of the copies, φ' ← m·φ + (1 − m)·φ' after every update (default 1e-3, the reference code's), in (0, 1].</summary>
    public float Momentum { get; init; } = 1e-3f;

    /// <summary>Weight of the contrastive loss in the total loss (default 1, as in the reference code), finite and ≥ 0.</summary>
    public float Weight { get; init; } = 1f;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(ContrastiveOptions);
        OptionRules.NonNegative(Weight, record, nameof(Weight));
        OptionRules.HalfOpenUnitInterval(Momentum, record, nameof(Momentum));
    }
}

/// <summary>
/// Distributional scalarisation (seed 000 §4.3): each objective J is modelled as normal. On the first update its
/// value is taken as the variance, σ² = |J|, and placed at a high z-score, μ = J − z·σ; from then on the optimised
/// objective is (J − μ)/σ. Stationary by default; with <see cref="RefitInterval"/> &gt; 0 the model is re-fitted
/// every that many updates from the objectives seen since the last fit.
/// </summary>
public sealed record ScalarizationOptions
{
    /// <summary>The z-score of the first objective values (default 2.326, the 99th percentile), finite and ≥ 0.</summary>
    public float ZScore { get; init; } = 2.326f;

    /// <summary>Updates between re-fits (non-stationary); 0 (default) keeps the first fit. ≥ 0.</summary>
    public int RefitInterval { get; init; }

    /// <summary>
    /// The z-score of a re-fit: the interval's mean objective is placed this many of its standard deviations above
    /// μ (default 1, lower than <see cref="ZScore"/> as the paper suggests), finite and ≥ 0.
    /// </summary>
    public float RefitZScore { get; init; } = 1f;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first invalid option and its allowed range.</exception>
    public void Validate()
    {
        const string record = nameof(ScalarizationOptions);
        OptionRules.NonNegative(ZScore, record, nameof(ZScore));
        OptionRules.AtLeast(RefitInterval, 0, record, nameof(RefitInterval));
        OptionRules.NonNegative(RefitZScore, record, nameof(RefitZScore));
    }
}
