using RLKit.Tensors;

namespace RLKit.Distributions;

/// <summary>
/// A batch of Gaussians with diagonal covariance over the last dimension: mean [..., D] and log standard
/// deviation broadcastable to it (for example [D] for a state-independent log-std). Densities and entropies
/// are summed over the last dimension, so a mean [B, D] gives per-row results [B]. Everything is
/// differentiable with respect to the mean and the log-std; <see cref="Sample"/> is reparameterised.
/// </summary>
public sealed class DiagGaussian
{
    private static readonly float HalfLogTwoPi = (float)(0.5 * Math.Log(2 * Math.PI));

    /// <summary>Creates the distributions.</summary>
    /// <exception cref="ArgumentException">If the mean is a scalar or the log-std does not broadcast to the mean's shape.</exception>
    public DiagGaussian(Tensor mean, Tensor logStd)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logStd);
        if (mean.Rank == 0)
            throw new ArgumentException("DiagGaussian: the mean must have at least one dimension (the event dimension is the last one).", nameof(mean));
        if (!BroadcastsTo(logStd.Shape, mean.Shape))
            throw new ArgumentException($"DiagGaussian: logStd of shape {Tensor.ShapeString(logStd.Shape)} does not broadcast to the mean's shape {Tensor.ShapeString(mean.Shape)}.", nameof(logStd));
        Mean = mean;
        LogStd = logStd.Shape.SequenceEqual(mean.Shape) ? logStd : logStd + Tensor.Zeros(mean.ShapeArray());
    }

    /// <summary>The means, [..., D].</summary>
    public Tensor Mean { get; }

    /// <summary>The log standard deviations broadcast to the mean's shape.</summary>
    public Tensor LogStd { get; }

    /// <summary>The standard deviations exp(log σ).</summary>
    public Tensor Std => LogStd.Exp();

    /// <summary>The event dimension D (the last dimension).</summary>
    public int Dimension => Mean.Dim(-1);

    /// <summary>A reparameterised draw μ + σ·ε with ε ~ N(0, I) from <paramref name="rng"/>; gradients flow to μ and log σ.</summary>
    public Tensor Sample(RandomGenerator rng) => RSample(Tensor.RandomNormal(rng, Mean.ShapeArray()));

    /// <summary>μ + σ·<paramref name="noise"/> for a given standard-normal noise tensor of the mean's shape.</summary>
    /// <exception cref="ArgumentException">If the noise's shape differs from the mean's.</exception>
    public Tensor RSample(Tensor noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        if (!noise.Shape.SequenceEqual(Mean.Shape))
            throw new ArgumentException($"DiagGaussian.RSample: noise shape {Tensor.ShapeString(noise.Shape)} must equal the mean's shape {Tensor.ShapeString(Mean.Shape)}.", nameof(noise));
        return Mean + Std * noise;
    }

    /// <summary>The mode (the mean).</summary>
    public Tensor Mode() => Mean;

    /// <summary>log p(x) summed over the last dimension: Σ −(x − μ)²/(2σ²) − log σ − ½ log 2π.</summary>
    /// <exception cref="ArgumentException">If <paramref name="value"/>'s shape differs from the mean's.</exception>
    public Tensor LogProb(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Shape.SequenceEqual(Mean.Shape))
            throw new ArgumentException($"DiagGaussian.LogProb: value shape {Tensor.ShapeString(value.Shape)} must equal the mean's shape {Tensor.ShapeString(Mean.Shape)}.", nameof(value));
        return ElementLogProb(value).Sum(-1);
    }

    /// <summary>The per-dimension log densities, [..., D].</summary>
    internal Tensor ElementLogProb(Tensor value)
    {
        var z = (value - Mean) * (-LogStd).Exp();
        return z.Square() * -0.5f - LogStd - HalfLogTwoPi;
    }

    /// <summary>The entropy Σ (log σ + ½(1 + log 2π)) over the last dimension.</summary>
    public Tensor Entropy() => (LogStd + (0.5f + HalfLogTwoPi)).Sum(-1);

    private static bool BroadcastsTo(ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        if (from.Length > to.Length) return false;
        for (int i = 1; i <= from.Length; i++)
        {
            int f = from[^i], t = to[^i];
            if (f != t && f != 1) return false;
        }
        return true;
    }
}
