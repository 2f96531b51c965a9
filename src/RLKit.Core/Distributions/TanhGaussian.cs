using RLKit.Tensors;

namespace RLKit.Distributions;

/// <summary>
/// A squashed diagonal Gaussian, a = tanh(u) with u ~ N(μ, σ²), as used by SAC: actions lie in (−1, 1)ᴰ.
/// log π(a) = log N(u; μ, σ) − Σ log(1 − tanh²u), with the correction written in the numerically stable form
/// log(1 − tanh²u) = 2(log 2 − u − softplus(−2u)) (SpinningUp's SAC), summed over the last dimension.
/// </summary>
/// <remarks>The entropy has no closed form; estimate it as −E[log π] from <see cref="SampleWithLogProb"/>.</remarks>
public sealed class TanhGaussian
{
    private static readonly float Log2 = MathF.Log(2f);

    /// <summary>Creates the distributions from the pre-squash mean [..., D] and a broadcastable log-std.</summary>
    /// <exception cref="ArgumentException">As for <see cref="DiagGaussian"/>.</exception>
    public TanhGaussian(Tensor mean, Tensor logStd) => Base = new DiagGaussian(mean, logStd);

    /// <summary>The Gaussian over the pre-squash variable u.</summary>
    public DiagGaussian Base { get; }

    /// <summary>A reparameterised action tanh(μ + σε) together with its log-probability, computed from u (no atanh).</summary>
    public (Tensor Action, Tensor LogProb) SampleWithLogProb(RandomGenerator rng)
    {
        var u = Base.Sample(rng);
        return (u.Tanh(), LogProbFromPreTanh(u));
    }

    /// <summary>A reparameterised action tanh(μ + σ·<paramref name="noise"/>) and its log-probability.</summary>
    public (Tensor Action, Tensor LogProb) RSampleWithLogProb(Tensor noise)
    {
        var u = Base.RSample(noise);
        return (u.Tanh(), LogProbFromPreTanh(u));
    }

    /// <summary>A reparameterised action tanh(μ + σε).</summary>
    public Tensor Sample(RandomGenerator rng) => Base.Sample(rng).Tanh();

    /// <summary>The deterministic action tanh(μ).</summary>
    public Tensor Mode() => Base.Mean.Tanh();

    /// <summary>log π(tanh u) given the pre-squash value u, summed over the last dimension.</summary>
    public Tensor LogProbFromPreTanh(Tensor preTanh)
    {
        ArgumentNullException.ThrowIfNull(preTanh);
        var gaussian = Base.LogProb(preTanh);
        // log(1 − tanh²u) = 2(log 2 − u − softplus(−2u)), stable for any u.
        var logDetJacobian = ((preTanh + preTanh.Affine(-2f, 0f).Softplus()) * -2f + 2f * Log2).Sum(-1);
        return gaussian - logDetJacobian;
    }

    /// <summary>
    /// log π(a) for an action in (−1, 1)ᴰ, through u = atanh(a). Actions are clamped to ±(1 − <paramref name="clampEpsilon"/>)
    /// first so that actions on the boundary (e.g. from a replay buffer) give a finite value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If clampEpsilon is outside (0, 1).</exception>
    public Tensor LogProb(Tensor action, float clampEpsilon = 1e-6f)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!(clampEpsilon > 0 && clampEpsilon < 1))
            throw new ArgumentOutOfRangeException(nameof(clampEpsilon), clampEpsilon, "TanhGaussian.LogProb: clampEpsilon must lie in (0, 1).");
        var a = action.Clamp(-1f + clampEpsilon, 1f - clampEpsilon);
        var preTanh = ((1f + a).Log() - (1f - a).Log()) * 0.5f;
        return LogProbFromPreTanh(preTanh);
    }
}
