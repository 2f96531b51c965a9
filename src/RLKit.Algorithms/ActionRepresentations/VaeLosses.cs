using RLKit.Tensors;

namespace RLKit.Algorithms.ActionRepresentations;

/// <summary>
/// The terms of the ELBO of seed 003 eq. 2.2 for diagonal Gaussians, each summed over the last axis (one value per
/// row), so the callers decide how rows are masked and averaged.
/// </summary>
internal static class VaeLosses
{
    private const float LogTwoPi = 1.8378770664093453f;

    /// <summary>−log N(x; μ, diag(exp(logVar))) per row: ½ Σ (log 2π + logVar + (x − μ)² e^(−logVar)). [.., D] → [..].</summary>
    public static Tensor GaussianNll(Tensor x, Tensor mean, Tensor logVar)
    {
        var diff = x - mean;
        return ((diff.Square() * logVar.Neg().Exp() + logVar + LogTwoPi) * 0.5f).Sum(-1);
    }

    /// <summary>KL(N(μ, diag e^logVar) ‖ N(0, I)) per row: ½ Σ (μ² + e^logVar − logVar − 1). [.., D] → [..].</summary>
    public static Tensor KlToStandardNormal(Tensor mean, Tensor logVar) =>
        ((mean.Square() + logVar.Exp() - logVar - 1f) * 0.5f).Sum(-1);

    /// <summary>
    /// KL(N(μq, e^logVarQ) ‖ N(μp, e^logVarP)) per row: ½ Σ (logVarP − logVarQ + (e^logVarQ + (μq − μp)²) e^(−logVarP) − 1).
    /// [.., D] → [..]; the prior's parameters are differentiated too (p(z|c) is learned).
    /// </summary>
    public static Tensor KlDiagonal(Tensor meanQ, Tensor logVarQ, Tensor meanP, Tensor logVarP) =>
        ((logVarP - logVarQ + (logVarQ.Exp() + (meanQ - meanP).Square()) * logVarP.Neg().Exp() - 1f) * 0.5f).Sum(-1);

    /// <summary>The reparameterised sample μ + e^(logVar/2) ⊙ ε with ε ~ N(0, I) drawn from <paramref name="rng"/>.</summary>
    public static Tensor Sample(Tensor mean, Tensor logVar, RandomGenerator rng) =>
        mean + (logVar * 0.5f).Exp() * Tensor.RandomNormal(rng, mean.ShapeArray());

    /// <summary>Σ over each action's observations: values [B·K] (one per padded observation), mask [B, K] of 0/1 → [B].</summary>
    public static Tensor SumPerAction(Tensor values, Tensor mask) =>
        (values.Reshape(mask.Dim(0), mask.Dim(1)) * mask).Sum(1);

    /// <summary>
    /// The masked mean pool of seed 003 D.3.1: features [B·K, H] of B actions × K padded observations, mask [B, K],
    /// inverse counts [B, 1] (1 / real observations) → [B, H].
    /// </summary>
    public static Tensor MeanPool(Tensor features, Tensor mask, Tensor inverseCounts)
    {
        int batch = mask.Dim(0), slots = mask.Dim(1), width = features.Dim(-1);
        return (features.Reshape(batch, slots, width) * mask.Reshape(batch, slots, 1)).Sum(1) * inverseCounts;
    }
}
