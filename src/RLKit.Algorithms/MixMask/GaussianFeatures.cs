using RLKit.Distributions;
using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.MixMask;

/// <summary>
/// The covariance half of a stochastic mix or mask function (seed 000 §4.1, "Stochastic Mix Function"): given the
/// mechanism's mean output μ [B, H] it builds N(μ, Σ), with Σ from free parameters (state-independent) or from an
/// MLP of the mechanism's input for that side (state-dependent).
/// </summary>
/// <remarks>
/// <para>
/// Diagonal: Σ = diag σ², with log σ a parameter vector [H] or Linear(H, H)–act–Linear(H, H) of the input, clamped
/// to [<see cref="MinLogStd"/>, <see cref="MaxLogStd"/>] so that exp never under- or overflows the divergences.
/// </para>
/// <para>
/// Cholesky: L = (c·cᵀ) ⊙ L_I + I with L_I the lower-triangular ones, Σ = Lᵀ·L. Since c·cᵀ is symmetric,
/// Lᵀ = (c·cᵀ) ⊙ L_Iᵀ + I is built directly as the upper-triangular scale S of
/// <see cref="MultivariateGaussian"/> (Σ = S·Sᵀ = Lᵀ·L). Its diagonal is 1 + c_i² ≥ 1, so Σ is positive definite
/// for every c. c is a parameter vector [H] or ReLU(Linear(H, H)(x)) (the reference code's state-dependent head).
/// </para>
/// </remarks>
internal sealed class GaussianFeatures : Module
{
    /// <summary>Lower clamp of log σ (σ ≈ 6.7e-3): keeps 1/σ² in the divergences finite in float32.</summary>
    public const float MinLogStd = -5f;

    /// <summary>Upper clamp of log σ (σ ≈ 7.4): latents are O(1), wider noise would only drown them.</summary>
    public const float MaxLogStd = 2f;

    /// <summary>
    /// Initial state-independent log σ = −1 (σ ≈ 0.37). The reference code starts at log σ = 1e-3 (σ ≈ 1), as wide as
    /// the O(1) latents, so a sampled feature would start out mostly noise; σ ≈ 0.37 keeps the mean's signal while
    /// staying far above the clamp floor, where the log σ gradient would vanish and the divergences' 1/σ² would grow large.
    /// </summary>
    public const float InitialLogStd = -1f;

    /// <summary>Standard deviation of the initial state-independent Cholesky vector c: small so L starts near I, non-zero so ∂(c·cᵀ)/∂c ≠ 0.</summary>
    public const float InitialCholeskyStd = 0.1f;

    private readonly Tensor? _logStd;
    private readonly Linear? _logStdHidden;
    private readonly Linear? _logStdOutput;
    private readonly Tensor? _choleskyVector;
    private readonly Linear? _choleskyHead;
    private readonly Activation _activation;
    private float[]? _upperOnes;
    private float[]? _identity;

    /// <summary>Creates the covariance parameters for <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the kind is not a Gaussian or the width is not positive.</exception>
    public GaussianFeatures(FeatureDistribution kind, bool stateDependent, int width, RandomGenerator rng, LayerInit init, Activation activation)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(init);
        if (kind is not (FeatureDistribution.DiagonalGaussian or FeatureDistribution.CholeskyGaussian))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "GaussianFeatures: kind must be DiagonalGaussian or CholeskyGaussian.");
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "GaussianFeatures: width must be positive.");
        Kind = kind;
        StateDependent = stateDependent;
        Width = width;
        _activation = activation;
        switch (kind, stateDependent)
        {
            case (FeatureDistribution.DiagonalGaussian, false):
                _logStd = RegisterParameter("log_std", Tensor.Full(InitialLogStd, width));
                break;
            case (FeatureDistribution.DiagonalGaussian, true):
                _logStdHidden = RegisterModule("log_std_hidden", init.Linear(width, width, rng));
                _logStdOutput = RegisterModule("log_std_output", init.Linear(width, width, rng));
                break;
            case (FeatureDistribution.CholeskyGaussian, false):
                _choleskyVector = RegisterParameter("cholesky_vector", Tensor.RandomNormal(rng, [width], 0f, InitialCholeskyStd));
                break;
            default:
                _choleskyHead = RegisterModule("cholesky", init.Linear(width, width, rng));
                break;
        }
    }

    /// <summary>Diagonal or Cholesky Gaussian.</summary>
    public FeatureDistribution Kind { get; }

    /// <summary>Whether Σ depends on the mechanism's input.</summary>
    public bool StateDependent { get; }

    /// <summary>The latent width H.</summary>
    public int Width { get; }

    /// <summary>
    /// N(μ, Σ) for the mean <paramref name="mean"/> [B, H]; <paramref name="input"/> [B, H] is the mechanism's input
    /// for this side, read only when <see cref="StateDependent"/> (it may be null otherwise).
    /// </summary>
    /// <exception cref="ArgumentException">If a shape is not [B, H] or the state-dependent input is missing.</exception>
    public FeatureDistributionValue Forward(Tensor mean, Tensor? input)
    {
        RequireLatent(mean, nameof(mean));
        if (StateDependent)
        {
            if (input is null)
                throw new ArgumentException("GaussianFeatures: a state-dependent covariance needs the mechanism's input.", nameof(input));
            RequireLatent(input, nameof(input));
            if (input.Dim(0) != mean.Dim(0))
                throw new ArgumentException(
                    $"GaussianFeatures: input {Tensor.ShapeString(input.Shape)} and mean {Tensor.ShapeString(mean.Shape)} have different batch sizes.", nameof(input));
        }
        return Kind == FeatureDistribution.DiagonalGaussian
            ? FeatureDistributionValue.FromDiagonal(new DiagGaussian(mean, LogStd(input)))
            : FeatureDistributionValue.FromFull(new MultivariateGaussian(mean, UpperScale(input), upperScale: true));
    }

    /// <summary>log σ, clamped: [H] when state-independent, [B, H] otherwise.</summary>
    internal Tensor LogStd(Tensor? input)
    {
        var raw = _logStd ?? _logStdOutput!.Forward(_activation.Apply(_logStdHidden!.Forward(input!)));
        return raw.Clamp(MinLogStd, MaxLogStd);
    }

    /// <summary>The Cholesky vector c: [H] when state-independent, [B, H] otherwise.</summary>
    internal Tensor CholeskyVector(Tensor? input) => _choleskyVector ?? _choleskyHead!.Forward(input!).Relu();

    /// <summary>The upper-triangular scale S = Lᵀ = (c·cᵀ) ⊙ L_Iᵀ + I: [H, H] when state-independent, [B, H, H] otherwise.</summary>
    internal Tensor UpperScale(Tensor? input)
    {
        var c = CholeskyVector(input);
        var outer = c.Unsqueeze(-1) * c.Unsqueeze(-2);
        _upperOnes ??= Triangle(Width, includeOffDiagonal: true);
        _identity ??= Triangle(Width, includeOffDiagonal: false);
        return outer * Tensor.FromArray(_upperOnes).Reshape(Width, Width) + Tensor.FromArray(_identity).Reshape(Width, Width);
    }

    /// <summary>Row-major [n, n] upper-triangular ones (with the diagonal), or the identity.</summary>
    private static float[] Triangle(int n, bool includeOffDiagonal)
    {
        var values = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < (includeOffDiagonal ? n : i + 1); j++)
                values[i * n + j] = 1f;
        return values;
    }

    private void RequireLatent(Tensor latent, string name)
    {
        ArgumentNullException.ThrowIfNull(latent, name);
        if (latent.Rank != 2 || latent.Dim(1) != Width)
            throw new ArgumentException($"GaussianFeatures: {name} shape {Tensor.ShapeString(latent.Shape)} must be [batch, {Width}].", name);
    }
}

/// <summary>
/// A stochastic mechanism's output for one side: a diagonal or a full-covariance Gaussian over the latent [B, H],
/// with reparameterised sampling and the penalty's divergence to the other side's distribution.
/// </summary>
internal sealed class FeatureDistributionValue
{
    private FeatureDistributionValue(DiagGaussian? diagonal, MultivariateGaussian? full)
    {
        Diagonal = diagonal;
        Full = full;
    }

    /// <summary>Wraps a diagonal Gaussian.</summary>
    public static FeatureDistributionValue FromDiagonal(DiagGaussian distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        return new(distribution, null);
    }

    /// <summary>Wraps a full-covariance Gaussian.</summary>
    public static FeatureDistributionValue FromFull(MultivariateGaussian distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        return new(null, distribution);
    }

    /// <summary>The diagonal Gaussian, or null for a full-covariance one.</summary>
    public DiagGaussian? Diagonal { get; }

    /// <summary>The full-covariance Gaussian, or null for a diagonal one.</summary>
    public MultivariateGaussian? Full { get; }

    /// <summary>The mean μ [B, H].</summary>
    public Tensor Mean => Diagonal?.Mean ?? Full!.Mean;

    /// <summary>A reparameterised (differentiable) sample [B, H] when <paramref name="rng"/> is given; the mean when it is null (evaluation).</summary>
    public Tensor Sample(RandomGenerator? rng) =>
        rng is null ? Mean : Diagonal?.Sample(rng) ?? Full!.Sample(rng);

    /// <summary>
    /// The divergence [B] between this distribution (P) and <paramref name="other"/> (Q) per row, by
    /// <paramref name="measure"/> (seed 000 eqs. 7–9; mixtures moment matched).
    /// </summary>
    /// <exception cref="ArgumentException">If the measure is cosine, or the two are not both diagonal or both full.</exception>
    public Tensor Divergence(FeatureDistributionValue other, Similarity measure)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (measure == Similarity.Cosine)
            throw new ArgumentException("FeatureDistributionValue.Divergence: cosine is for deterministic features; use InformationRadius, JDivergence or ArithmeticGeometric.", nameof(measure));
        if ((Diagonal is null) != (other.Diagonal is null))
            throw new ArgumentException("FeatureDistributionValue.Divergence: both distributions must be diagonal or both full-covariance.", nameof(other));
        if (Diagonal is not null)
        {
            var q = other.Diagonal!;
            return measure switch
            {
                Similarity.InformationRadius => Divergences.InformationRadius(Diagonal, q),
                Similarity.JDivergence => Divergences.JDivergence(Diagonal, q),
                Similarity.ArithmeticGeometric => Divergences.ArithmeticGeometric(Diagonal, q),
                _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "FeatureDistributionValue.Divergence: unknown measure."),
            };
        }
        var p = Full!;
        var qFull = other.Full!;
        return measure switch
        {
            Similarity.InformationRadius => Divergences.InformationRadius(p, qFull),
            Similarity.JDivergence => Divergences.JDivergence(p, qFull),
            Similarity.ArithmeticGeometric => Divergences.ArithmeticGeometric(p, qFull),
            _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "FeatureDistributionValue.Divergence: unknown measure."),
        };
    }
}
