namespace RLKit.Algorithms.MixMask;

/// <summary>How the mix function couples the actor's and the critic's latents (seed 000 §4.1, Figure 2).</summary>
public enum MixKind
{
    /// <summary>The base representation: two MLPs, each over the concatenated latents [x_π, x_v].</summary>
    Mlp,

    /// <summary>MLP-Mixer: the two latents are two channels; each block mixes across channels, then across features.</summary>
    Mixer,

    /// <summary>The two latents stacked as two channels and convolved with a kernel per output channel, repeated.</summary>
    Conv,

    /// <summary>Cross-attention: each side's mixed latent attends over its own features with the other side's query.</summary>
    CrossAttention,
}

/// <summary>How the mask function decouples a shared latent into the actor's and the critic's (seed 000 §4.2, Figure 3).</summary>
public enum MaskKind
{
    /// <summary>The base representation: one MLP per side over the shared latent.</summary>
    Mlp,

    /// <summary>One self-attention module per side over the shared latent's features.</summary>
    SelfAttention,

    /// <summary>One self-attention module per side whose query is a learned latent vector shared by both sides.</summary>
    LatentQuery,

    /// <summary>One self-attention module for both sides; the critic uses the inverted, renormalised policy attention (eq. 11).</summary>
    SharedAttention,
}

/// <summary>How a mix or mask output is joined with the latent it replaces before the head reads it (seed 000 §4.3).</summary>
public enum SkipConnection
{
    /// <summary>The head reads the mechanism's output only.</summary>
    None,

    /// <summary>The head reads output + input (He et al.); the width is unchanged.</summary>
    Residual,

    /// <summary>The head reads [output, input] concatenated (Huang et al.); the width doubles.</summary>
    Dense,
}

/// <summary>Whether a mix or mask output is a point or a Gaussian (seed 000 §4.1, "Stochastic Mix Function").</summary>
public enum FeatureDistribution
{
    /// <summary>A deterministic latent; the penalty is the cosine similarity.</summary>
    Deterministic,

    /// <summary>N(μ, diag σ²): the module gives μ, a log-standard-deviation head gives log σ.</summary>
    DiagonalGaussian,

    /// <summary>N(μ, Σ) with Σ = LᵀL and L = (cᵀc) ⊙ L_I + I built from a learned vector c (the paper's Cholesky construction).</summary>
    CholeskyGaussian,
}

/// <summary>
/// The measure between the two sides' features in the mix (similarity, raised) and mask (divergence, raised)
/// penalties (seed 000 eqs. 6–9, 12). Cosine is for deterministic features, the others for Gaussian ones.
/// </summary>
public enum Similarity
{
    /// <summary>Cosine similarity of the two latents (deterministic modules).</summary>
    Cosine,

    /// <summary>Information radius (Jensen–Shannon), eq. 7.</summary>
    InformationRadius,

    /// <summary>J-divergence ½(K(P‖Q) + K(Q‖P)), eq. 8.</summary>
    JDivergence,

    /// <summary>Arithmetic–geometric divergence, eq. 9.</summary>
    ArithmeticGeometric,
}
