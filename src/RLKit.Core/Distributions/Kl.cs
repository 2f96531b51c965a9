using RLKit.Tensors;

namespace RLKit.Distributions;

/// <summary>Closed-form, differentiable Kullback–Leibler divergences KL(p ‖ q) = E_p[log p − log q].</summary>
public static class Kl
{
    /// <summary>
    /// KL(p ‖ q) = Σₐ p(a)(log p(a) − log q(a)) per row, [B]. Actions masked in p contribute 0; an action allowed
    /// by p but masked in q makes the result huge (about p(a)·10⁹), reflecting an infinite divergence.
    /// </summary>
    /// <exception cref="ArgumentException">If the two batches differ in shape.</exception>
    public static Tensor Divergence(Categorical p, Categorical q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        if (p.BatchSize != q.BatchSize || p.ActionCount != q.ActionCount)
            throw new ArgumentException($"Kl.Divergence: p is [{p.BatchSize}, {p.ActionCount}] but q is [{q.BatchSize}, {q.ActionCount}]; they must match.", nameof(q));
        var logRatio = p.LogProbs - q.LogProbs;
        if (p.IsMasked) logRatio = logRatio * p.ValidMask();
        return (p.Probs * logRatio).Sum(1);
    }

    /// <summary>
    /// KL(p ‖ q) = Σ_d [log σq − log σp + (σp² + (μp − μq)²)/(2σq²) − ½] over the last dimension.
    /// </summary>
    /// <exception cref="ArgumentException">If the means differ in shape.</exception>
    public static Tensor Divergence(DiagGaussian p, DiagGaussian q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        RequireSameShape(p.Mean, q.Mean, nameof(Divergence));
        return ElementGaussian(p.Mean, p.LogStd, q.Mean, q.LogStd).Sum(-1);
    }

    /// <summary>
    /// KL(p ‖ q) = ½[tr(Σq⁻¹Σp) + Δᵀ Σq⁻¹ Δ − d + log det Σq − log det Σp] with Δ = μq − μp, per distribution
    /// (the means' batch shape). Computed with triangular solves against q's scale, never an explicit inverse:
    /// tr(Σq⁻¹Σp) = ‖Sq⁻¹Sp‖²_F and Δᵀ Σq⁻¹ Δ = ‖Sq⁻¹Δ‖².
    /// </summary>
    /// <exception cref="ArgumentException">If the means differ in shape.</exception>
    public static Tensor Divergence(MultivariateGaussian p, MultivariateGaussian q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        RequireSameShape(p.Mean, q.Mean, nameof(Divergence));
        var trace = q.WhitenColumns(p.TriangularScale).Square().Sum(-1).Sum(-1);
        var mahalanobis = q.Whiten(q.Mean - p.Mean).Square().Sum(-1);
        return (trace + mahalanobis - p.Dimension) * 0.5f + q.HalfLogDeterminant() - p.HalfLogDeterminant();
    }

    /// <summary>Per-dimension Gaussian KL, [..., D].</summary>
    internal static Tensor ElementGaussian(Tensor meanP, Tensor logStdP, Tensor meanQ, Tensor logStdQ)
    {
        var logRatio = logStdP - logStdQ;                       // log σp/σq
        var varianceRatio = (logRatio * 2f).Exp();              // σp²/σq²
        var scaledGap = (meanP - meanQ) * (-logStdQ).Exp();     // (μp − μq)/σq
        return (varianceRatio + scaledGap.Square() - 1f) * 0.5f - logRatio;
    }

    /// <summary>Throws unless the two distributions' means (hence their batch and event shapes) have the same shape.</summary>
    internal static void RequireSameShape(Tensor meanP, Tensor meanQ, string op)
    {
        if (!meanP.Shape.SequenceEqual(meanQ.Shape))
            throw new ArgumentException($"{op}: p has shape {Tensor.ShapeString(meanP.Shape)} but q has {Tensor.ShapeString(meanQ.Shape)}; they must match.", "q");
    }
}
