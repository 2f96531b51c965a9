using RLKit.Tensors;

namespace RLKit.Distributions;

/// <summary>How the mixture M = (P + Q)/2 of two Gaussians is replaced by a Gaussian in the divergences that need it.</summary>
public enum MixtureApproximation
{
    /// <summary>
    /// The Gaussian with the mixture's exact mean and variance: μ = (μp + μq)/2,
    /// σ² = (σp² + σq²)/2 + (μp − μq)²/4 per dimension. Follows the paper's definition of M as the mixture,
    /// and agrees with the exact divergence to second order in (μp − μq) and (σp − σq).
    /// </summary>
    MomentMatched,

    /// <summary>
    /// The Mix &amp; Mask reference code's choice: μ = (μp + μq)/2 and σ² = (σp² + σq²)/4, i.e. the law of
    /// (X + Y)/2 for independent X ~ P, Y ~ Q rather than the mixture.
    /// </summary>
    AverageOfVariables,
}

/// <summary>
/// Symmetric divergences between diagonal Gaussians used as the similarity/divergence penalties of the
/// Mix &amp; Mask actor-critic (seed 000, eqs. 7–9), with K the relative information (KL divergence):
/// information radius IR(P‖Q) = ½(F(P‖Q) + F(Q‖P)) with F(P‖Q) = K(P ‖ (P+Q)/2) (Jensen–Shannon);
/// J(P‖Q) = ½(K(P‖Q) + K(Q‖P)); AG(P‖Q) = ½(G(P‖Q) + G(Q‖P)) with G(P‖Q) = K((P+Q)/2 ‖ P).
/// All results are summed over the last (event) dimension and are differentiable.
/// </summary>
/// <remarks>
/// <para>
/// The J-divergence has a closed form and is computed exactly. Note the paper's factor ½: it is half of
/// Jeffreys' divergence K(P‖Q) + K(Q‖P).
/// </para>
/// <para>
/// IR and AG involve the mixture (P + Q)/2, which is not Gaussian, and have no closed form for Gaussians.
/// They are computed with M replaced by a Gaussian (see <see cref="MixtureApproximation"/>), which makes them
/// closed-form and cheap: IR ≈ ½(K(P‖M) + K(Q‖M)) and AG ≈ ½(K(M‖P) + K(M‖Q)). The default moment-matched
/// Gaussian matches the exact values to second order for nearby P and Q; far apart it is not bounded by
/// log 2 as the exact information radius is.
/// </para>
/// </remarks>
public static class Divergences
{
    /// <summary>The information radius (Jensen–Shannon divergence), eq. 7, with the mixture approximated as described on the class.</summary>
    /// <exception cref="ArgumentException">If the means differ in shape.</exception>
    public static Tensor InformationRadius(DiagGaussian p, DiagGaussian q, MixtureApproximation mixture = MixtureApproximation.MomentMatched)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        Kl.RequireSameShape(p.Mean, q.Mean, nameof(InformationRadius));
        var (meanM, logStdM) = Mixture(p, q, mixture);
        var toMixture = Kl.ElementGaussian(p.Mean, p.LogStd, meanM, logStdM) + Kl.ElementGaussian(q.Mean, q.LogStd, meanM, logStdM);
        return (toMixture * 0.5f).Sum(-1);
    }

    /// <summary>The J-divergence ½(K(P‖Q) + K(Q‖P)), eq. 8, in closed form: Σ_d ¼[(σp² + Δ²)/σq² + (σq² + Δ²)/σp²] − ½ with Δ = μp − μq.</summary>
    /// <exception cref="ArgumentException">If the means differ in shape.</exception>
    public static Tensor JDivergence(DiagGaussian p, DiagGaussian q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        Kl.RequireSameShape(p.Mean, q.Mean, nameof(JDivergence));
        var twiceLogRatio = (p.LogStd - q.LogStd) * 2f;  // log σp²/σq²
        var ratio = twiceLogRatio.Exp();
        var inverseRatio = (-twiceLogRatio).Exp();
        var gapSquared = (p.Mean - q.Mean).Square();
        var inverseVarianceSum = (q.LogStd * -2f).Exp() + (p.LogStd * -2f).Exp(); // 1/σq² + 1/σp²
        return ((ratio + inverseRatio + gapSquared * inverseVarianceSum) * 0.25f - 0.5f).Sum(-1);
    }

    /// <summary>The arithmetic–geometric divergence, eq. 9, with the mixture approximated as described on the class.</summary>
    /// <exception cref="ArgumentException">If the means differ in shape.</exception>
    public static Tensor ArithmeticGeometric(DiagGaussian p, DiagGaussian q, MixtureApproximation mixture = MixtureApproximation.MomentMatched)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        Kl.RequireSameShape(p.Mean, q.Mean, nameof(ArithmeticGeometric));
        var (meanM, logStdM) = Mixture(p, q, mixture);
        var fromMixture = Kl.ElementGaussian(meanM, logStdM, p.Mean, p.LogStd) + Kl.ElementGaussian(meanM, logStdM, q.Mean, q.LogStd);
        return (fromMixture * 0.5f).Sum(-1);
    }

    /// <summary>
    /// The information radius, eq. 7, between full-covariance Gaussians: ½(K(P‖M) + K(Q‖M)) with M the Gaussian
    /// of <paramref name="mixture"/> (moment matched: mean (μp + μq)/2, covariance (Σp + Σq)/2 + ΔΔᵀ/4).
    /// </summary>
    /// <remarks>
    /// For diagonal P and Q this equals the diagonal overload with <see cref="MixtureApproximation.AverageOfVariables"/>,
    /// but not in general with <see cref="MixtureApproximation.MomentMatched"/>: the full mixture covariance keeps the
    /// cross terms Δᵢ·Δⱼ/4 that the per-dimension moment matching drops (they agree when Δ has at most one non-zero entry).
    /// </remarks>
    /// <exception cref="ArgumentException">If the means differ in shape.</exception>
    public static Tensor InformationRadius(MultivariateGaussian p, MultivariateGaussian q, MixtureApproximation mixture = MixtureApproximation.MomentMatched)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        Kl.RequireSameShape(p.Mean, q.Mean, nameof(InformationRadius));
        var m = Mixture(p, q, mixture);
        return (Kl.Divergence(p, m) + Kl.Divergence(q, m)) * 0.5f;
    }

    /// <summary>The J-divergence ½(K(P‖Q) + K(Q‖P)), eq. 8, between full-covariance Gaussians, exactly.</summary>
    /// <exception cref="ArgumentException">If the means differ in shape.</exception>
    public static Tensor JDivergence(MultivariateGaussian p, MultivariateGaussian q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        Kl.RequireSameShape(p.Mean, q.Mean, nameof(JDivergence));
        return (Kl.Divergence(p, q) + Kl.Divergence(q, p)) * 0.5f;
    }

    /// <summary>
    /// The arithmetic–geometric divergence, eq. 9, between full-covariance Gaussians: ½(K(M‖P) + K(M‖Q)) with M as
    /// in <see cref="InformationRadius(MultivariateGaussian, MultivariateGaussian, MixtureApproximation)"/> (same remark on diagonal inputs).
    /// </summary>
    /// <exception cref="ArgumentException">If the means differ in shape.</exception>
    public static Tensor ArithmeticGeometric(MultivariateGaussian p, MultivariateGaussian q, MixtureApproximation mixture = MixtureApproximation.MomentMatched)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        Kl.RequireSameShape(p.Mean, q.Mean, nameof(ArithmeticGeometric));
        var m = Mixture(p, q, mixture);
        return (Kl.Divergence(m, p) + Kl.Divergence(m, q)) * 0.5f;
    }

    /// <summary>The full-covariance Gaussian standing in for (P + Q)/2, its scale the Cholesky factor of its covariance.</summary>
    private static MultivariateGaussian Mixture(MultivariateGaussian p, MultivariateGaussian q, MixtureApproximation mixture)
    {
        var mean = (p.Mean + q.Mean) * 0.5f;
        var covarianceSum = p.Covariance + q.Covariance;
        Tensor covariance;
        switch (mixture)
        {
            case MixtureApproximation.MomentMatched:
                var gap = p.Mean - q.Mean;
                covariance = covarianceSum * 0.5f + Tensor.MatMul(gap.Unsqueeze(-1), gap.Unsqueeze(-2)) * 0.25f;
                break;
            case MixtureApproximation.AverageOfVariables:
                covariance = covarianceSum * 0.25f;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mixture), mixture, "Unknown MixtureApproximation.");
        }
        return MultivariateGaussian.FromCovariance(mean, covariance);
    }

    /// <summary>The Gaussian standing in for (P + Q)/2: its mean and log-std per dimension.</summary>
    private static (Tensor Mean, Tensor LogStd) Mixture(DiagGaussian p, DiagGaussian q, MixtureApproximation mixture)
    {
        var mean = (p.Mean + q.Mean) * 0.5f;
        var varianceSum = (p.LogStd * 2f).Exp() + (q.LogStd * 2f).Exp();
        var variance = mixture switch
        {
            MixtureApproximation.MomentMatched => varianceSum * 0.5f + (p.Mean - q.Mean).Square() * 0.25f,
            MixtureApproximation.AverageOfVariables => varianceSum * 0.25f,
            _ => throw new ArgumentOutOfRangeException(nameof(mixture), mixture, "Unknown MixtureApproximation."),
        };
        return (mean, variance.Log() * 0.5f);
    }
}
