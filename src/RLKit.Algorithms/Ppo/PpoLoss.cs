using System.Runtime.CompilerServices;
using RLKit.Tensors;

namespace RLKit.Algorithms.Ppo;

/// <summary>PPO's loss terms, small and separately testable.</summary>
public static class PpoLoss
{
    /// <summary>
    /// The clipped surrogate policy loss to minimise: mean over rows of max(−A·r, −A·clip(r, 1 − ε, 1 + ε)), the
    /// negative of PPO's pessimistic objective min(r·A, clip(r)·A).
    /// </summary>
    /// <param name="ratio">π_new(a|s) / π_old(a|s), [M].</param>
    /// <param name="advantages">Â, [M].</param>
    /// <param name="clipRange">ε in (0, 1).</param>
    [MethodImpl(HotPath.Optimized)]
    public static Tensor ClippedSurrogate(Tensor ratio, Tensor advantages, float clipRange)
    {
        ArgumentNullException.ThrowIfNull(ratio);
        ArgumentNullException.ThrowIfNull(advantages);
        var unclipped = -advantages * ratio;
        var clipped = -advantages * ratio.Clamp(1f - clipRange, 1f + clipRange);
        return Tensor.Maximum(unclipped, clipped).Mean();
    }

    /// <summary>
    /// The value loss: ½·mean((V − R)²), or with <paramref name="valueClipRange"/> the pessimistic
    /// ½·mean(max((V − R)², (V_old + clip(V − V_old, −c, c) − R)²)).
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static Tensor Value(Tensor values, Tensor returns, Tensor oldValues, float? valueClipRange)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(returns);
        ArgumentNullException.ThrowIfNull(oldValues);
        var unclipped = (values - returns).Square();
        if (valueClipRange is not { } c) return unclipped.Mean() * 0.5f;
        var clippedValues = oldValues + (values - oldValues).Clamp(-c, c);
        return Tensor.Maximum(unclipped, (clippedValues - returns).Square()).Mean() * 0.5f;
    }

    /// <summary>
    /// Diagnostics of one minibatch from the log-ratio log(π_new / π_old): the approximate KL divergence
    /// E[(r − 1) − log r] (low variance, always ≥ 0) and the fraction of rows whose ratio left [1 − ε, 1 + ε].
    /// </summary>
    [MethodImpl(HotPath.Optimized)]
    public static (double ApproxKl, double ClipFraction) Diagnostics(ReadOnlySpan<float> logRatio, float clipRange)
    {
        if (logRatio.IsEmpty) return (0, 0);
        double kl = 0;
        int clipped = 0;
        foreach (float lr in logRatio)
        {
            double r = Math.Exp(lr);
            kl += r - 1 - lr;
            if (Math.Abs(r - 1) > clipRange) clipped++;
        }
        return (kl / logRatio.Length, clipped / (double)logRatio.Length);
    }
}
