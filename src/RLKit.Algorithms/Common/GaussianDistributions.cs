using RLKit.Distributions;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>Shared plumbing of the continuous distributions: shape checks and copying tensors into spans.</summary>
internal abstract class ContinuousDistributionBase : IContinuousActionDistribution
{
    protected ContinuousDistributionBase(int batchSize, int actionSize)
    {
        BatchSize = batchSize;
        ActionSize = actionSize;
    }

    public int BatchSize { get; }
    public int ActionSize { get; }
    public bool IsDiscrete => false;

    public abstract void Sample(RandomGenerator rng, Span<float> actions);
    public void Mode(Span<float> actions) => CopyOut(ModeTensor(), actions);
    public abstract Tensor LogProb(Tensor actions);
    public abstract Tensor Entropy();
    public abstract Tensor ModeTensor();
    public abstract (Tensor Actions, Tensor LogProb) RSampleWithLogProb(RandomGenerator rng);

    public void Sample(RandomGenerator rng, Span<int> actions) => throw Discrete();
    public void Mode(Span<int> actions) => throw Discrete();
    public Tensor LogProb(ReadOnlySpan<int> actions) => throw Discrete();

    protected void CopyOut(Tensor values, Span<float> actions)
    {
        if (actions.Length != BatchSize * ActionSize)
            throw new ArgumentException($"{GetType().Name}: expected {BatchSize} × {ActionSize} = {BatchSize * ActionSize} action values, got {actions.Length}.", nameof(actions));
        values.AsSpan().CopyTo(actions);
    }

    protected void CheckActions(Tensor actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Rank != 2 || actions.Dim(0) != BatchSize || actions.Dim(1) != ActionSize)
            throw new ArgumentException($"{GetType().Name}: actions must have shape [{BatchSize}, {ActionSize}], got {Tensor.ShapeString(actions.Shape)}.", nameof(actions));
    }

    private NotSupportedException Discrete() =>
        new($"{GetType().Name} has continuous actions; use the Span<float> / Tensor members.");
}

/// <summary>A diagonal Gaussian over unbounded actions (PPO, A2C); callers clip to the box when stepping.</summary>
internal sealed class DiagGaussianDistribution(Tensor mean, Tensor logStd)
    : ContinuousDistributionBase(mean.Dim(0), mean.Dim(1))
{
    private readonly DiagGaussian _gaussian = new(mean, logStd);

    public override void Sample(RandomGenerator rng, Span<float> actions)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CopyOut(_gaussian.Sample(rng), actions);
    }

    public override Tensor LogProb(Tensor actions)
    {
        CheckActions(actions);
        return _gaussian.LogProb(actions);
    }

    public override Tensor Entropy() => _gaussian.Entropy();
    public override Tensor ModeTensor() => _gaussian.Mean;

    public override (Tensor Actions, Tensor LogProb) RSampleWithLogProb(RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var actions = _gaussian.RSample(Tensor.RandomNormal(rng, [BatchSize, ActionSize]));
        return (actions, _gaussian.LogProb(actions));
    }
}

/// <summary>A tanh-squashed Gaussian over [−1, 1] actions (SAC).</summary>
internal sealed class TanhGaussianDistribution(Tensor mean, Tensor logStd)
    : ContinuousDistributionBase(mean.Dim(0), mean.Dim(1))
{
    private readonly TanhGaussian _distribution = new(mean, logStd);

    public override void Sample(RandomGenerator rng, Span<float> actions)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CopyOut(_distribution.Sample(rng), actions);
    }

    public override Tensor LogProb(Tensor actions)
    {
        CheckActions(actions);
        return _distribution.LogProb(actions);
    }

    /// <summary>
    /// The entropy of the pre-tanh Gaussian: the squashed entropy has no closed form and is never larger, so this is
    /// an upper bound. SAC estimates the entropy by −log π(a) of a sample instead.
    /// </summary>
    public override Tensor Entropy() => _distribution.Base.Entropy();

    public override Tensor ModeTensor() => _distribution.Mode();

    public override (Tensor Actions, Tensor LogProb) RSampleWithLogProb(RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return _distribution.RSampleWithLogProb(Tensor.RandomNormal(rng, [BatchSize, ActionSize]));
    }
}

/// <summary>A deterministic tanh policy (TD3, DDPG): sampling adds clipped Gaussian exploration noise; it has no density.</summary>
internal sealed class DeterministicDistribution(Tensor actions, float explorationNoise)
    : ContinuousDistributionBase(actions.Dim(0), actions.Dim(1))
{
    public override void Sample(RandomGenerator rng, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(rng);
        CopyOut(actions, destination);
        if (explorationNoise <= 0f) return;
        for (int i = 0; i < destination.Length; i++)
            destination[i] = Math.Clamp(destination[i] + rng.Normal(0f, explorationNoise), -1f, 1f);
    }

    public override Tensor ModeTensor() => actions;

    public override Tensor LogProb(Tensor value) => throw NoDensity();
    public override Tensor Entropy() => throw NoDensity();
    public override (Tensor Actions, Tensor LogProb) RSampleWithLogProb(RandomGenerator rng) => throw NoDensity();

    private static NotSupportedException NoDensity() =>
        new("A deterministic policy has no density: log-probabilities, entropies and reparameterised samples are undefined (use ModeTensor).");
}
