using RLKit.Tensors;

namespace RLKit.Distributions;

/// <summary>
/// A batch of Gaussians with full covariance over the last dimension: mean [..., d] and a triangular scale S
/// [..., d, d] with Σ = S·Sᵀ. S is lower triangular by default; with <c>upperScale</c> it is upper triangular,
/// which lets a covariance given as Σ = Lᵀ·L with L lower (the Mix &amp; Mask construction, seed 000 §4.1) be
/// used directly with S = Lᵀ, without a Cholesky factorisation. Only S's triangle is read.
/// </summary>
/// <remarks>
/// S's batch dimensions broadcast to the mean's (a 2-D [d, d] scale is shared by every row). Densities and
/// entropies are per distribution, with the mean's batch shape, and everything is differentiable with respect to
/// the mean and the scale. S's diagonal must be non-zero and is taken as positive: log-determinants use
/// log |S_ii|, so keeping it positive (for example through an exp or softplus, or a Cholesky factor) is the
/// caller's responsibility.
/// </remarks>
public sealed class MultivariateGaussian
{
    private static readonly float HalfLogTwoPi = (float)(0.5 * Math.Log(2 * Math.PI));

    /// <summary>Creates the distributions from a mean and a triangular scale.</summary>
    /// <exception cref="ArgumentException">If the mean is a scalar, the scale is not [..., d, d] for the mean's d, or its batch dimensions do not broadcast to the mean's.</exception>
    public MultivariateGaussian(Tensor mean, Tensor scale, bool upperScale = false)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        if (mean.Rank == 0)
            throw new ArgumentException("MultivariateGaussian: the mean must have at least one dimension (the event dimension is the last one).", nameof(mean));
        int d = mean.Dim(-1);
        if (scale.Rank < 2 || scale.Dim(-1) != d || scale.Dim(-2) != d)
            throw new ArgumentException(
                $"MultivariateGaussian: scale of shape {Tensor.ShapeString(scale.Shape)} must be [..., {d}, {d}] for the mean's shape {Tensor.ShapeString(mean.Shape)}.", nameof(scale));
        var batch = mean.Shape[..^1];
        var scaleBatch = scale.Shape[..^2];
        bool broadcasts = scaleBatch.Length <= batch.Length;
        for (int i = 1; broadcasts && i <= scaleBatch.Length; i++)
            broadcasts = scaleBatch[^i] == batch[^i] || scaleBatch[^i] == 1;
        if (!broadcasts)
            throw new ArgumentException(
                $"MultivariateGaussian: the batch dimensions of scale {Tensor.ShapeString(scale.Shape)} do not broadcast to those of the mean {Tensor.ShapeString(mean.Shape)}.", nameof(scale));
        Mean = mean;
        Scale = scale;
        UpperScale = upperScale;
    }

    /// <summary>The Gaussians with the given means and covariances [..., d, d] (symmetric positive definite), factored with <see cref="Tensor.Cholesky"/>.</summary>
    /// <exception cref="ArgumentException">If a covariance is not positive definite or the shapes do not fit.</exception>
    public static MultivariateGaussian FromCovariance(Tensor mean, Tensor covariance)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        return new MultivariateGaussian(mean, Tensor.Cholesky(covariance));
    }

    /// <summary>The means, [..., d].</summary>
    public Tensor Mean { get; }

    /// <summary>The triangular scale S, [..., d, d], with Σ = S·Sᵀ.</summary>
    public Tensor Scale { get; }

    /// <summary>True when <see cref="Scale"/> is upper triangular (else lower).</summary>
    public bool UpperScale { get; }

    /// <summary>The event dimension d (the mean's last dimension).</summary>
    public int Dimension => Mean.Dim(-1);

    /// <summary>The covariance Σ = S·Sᵀ, [..., d, d] with the scale's batch dimensions.</summary>
    public Tensor Covariance => Tensor.MatMul(TriangularScale, TriangularScale, transposeB: true);

    /// <summary>The scale with the unread triangle zeroed, so products see the same matrix the solves do.</summary>
    internal Tensor TriangularScale => Scale * TriangleMask(Dimension, UpperScale);

    /// <summary>The batch shape (the mean's shape without its last dimension).</summary>
    internal int[] BatchShape => Mean.Shape[..^1].ToArray();

    /// <summary>A reparameterised draw μ + S·ε with ε ~ N(0, I) from <paramref name="rng"/>; gradients flow to μ and S.</summary>
    public Tensor Sample(RandomGenerator rng) => RSample(Tensor.RandomNormal(rng, Mean.ShapeArray()));

    /// <summary>μ + S·<paramref name="noise"/> for a given standard-normal noise tensor of the mean's shape.</summary>
    /// <exception cref="ArgumentException">If the noise's shape differs from the mean's.</exception>
    public Tensor RSample(Tensor noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        if (!noise.Shape.SequenceEqual(Mean.Shape))
            throw new ArgumentException($"MultivariateGaussian.RSample: noise shape {Tensor.ShapeString(noise.Shape)} must equal the mean's shape {Tensor.ShapeString(Mean.Shape)}.", nameof(noise));
        var scale = TriangularScale;
        if (scale.Rank == 2 && Mean.Rank >= 2) return Mean + Tensor.MatMul(noise, scale, transposeB: true);   // ε·Sᵀ row by row
        if (!scale.Shape[..^2].SequenceEqual(Mean.Shape[..^1]))
            scale = scale + Tensor.Zeros([.. Mean.Shape[..^1], Dimension, Dimension]);   // materialise the broadcast for MatMul
        return Mean + Tensor.MatMul(scale, noise.Unsqueeze(-1)).Squeeze(-1);
    }

    /// <summary>The mode (the mean).</summary>
    public Tensor Mode() => Mean;

    /// <summary>log p(x) = −½|S⁻¹(x − μ)|² − Σ log|S_ii| − (d/2) log 2π per distribution, with the mean's batch shape.</summary>
    /// <exception cref="ArgumentException">If <paramref name="value"/>'s shape differs from the mean's.</exception>
    public Tensor LogProb(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Shape.SequenceEqual(Mean.Shape))
            throw new ArgumentException($"MultivariateGaussian.LogProb: value shape {Tensor.ShapeString(value.Shape)} must equal the mean's shape {Tensor.ShapeString(Mean.Shape)}.", nameof(value));
        var whitened = Whiten(value - Mean);
        return whitened.Square().Sum(-1) * -0.5f - HalfLogDeterminant() - Dimension * HalfLogTwoPi;
    }

    /// <summary>The entropy ½ log det(2πe Σ) = Σ log|S_ii| + (d/2)(1 + log 2π), with the mean's batch shape.</summary>
    public Tensor Entropy() => HalfLogDeterminant() + Dimension * (0.5f + HalfLogTwoPi);

    /// <summary>S⁻¹·v for vectors v [..., d] (batch broadcast against the scale's), [..., d].</summary>
    internal Tensor Whiten(Tensor v) => Tensor.SolveTriangular(Scale, v.Unsqueeze(-1), UpperScale).Squeeze(-1);

    /// <summary>S⁻¹·M for matrices M [..., d, k] (batch broadcast against the scale's).</summary>
    internal Tensor WhitenColumns(Tensor matrix) => Tensor.SolveTriangular(Scale, matrix, UpperScale);

    /// <summary>½ log det Σ = Σ log|S_ii|, broadcast to the mean's batch shape.</summary>
    internal Tensor HalfLogDeterminant()
    {
        int d = Dimension;
        var diagonalIndex = new int[d];
        for (int i = 0; i < d; i++) diagonalIndex[i] = i * (d + 1);
        var halfLogDet = Scale.Reshape([.. Scale.Shape[..^2], d * d]).IndexSelect(-1, diagonalIndex).Abs().Log().Sum(-1);
        var batch = BatchShape;
        return halfLogDet.Shape.SequenceEqual(batch) ? halfLogDet : halfLogDet + Tensor.Zeros(batch);
    }

    /// <summary>A [d, d] constant with ones on the lower (or upper) triangle including the diagonal.</summary>
    private static Tensor TriangleMask(int d, bool upper)
    {
        var mask = Tensor.Zeros(d, d);
        var span = mask.AsSpan();
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                if (upper ? j >= i : j <= i) span[i * d + j] = 1f;
        return mask;
    }
}
