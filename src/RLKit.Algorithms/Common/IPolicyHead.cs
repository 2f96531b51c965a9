using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>
/// A policy head: the last, small part of a policy that turns a latent [B, LatentSize] into an action distribution.
/// Heads compose with any trunk (an MLP, attention, a shared actor-critic body).
/// </summary>
public interface IPolicyHead
{
    /// <summary>The latent width the head reads.</summary>
    int LatentSize { get; }

    /// <summary>The number of choices (discrete) or the action dimension (continuous).</summary>
    int ActionSize { get; }

    /// <summary>True if the head produces action ids, false if it produces real vectors.</summary>
    bool IsDiscrete { get; }

    /// <summary>
    /// The action distribution for <paramref name="latent"/> [B, LatentSize]. <paramref name="actionMask"/>, row-major
    /// [B, ActionSize] (as a vector environment's <c>ActionMasks</c>), says which actions each row may take; only
    /// masking heads accept one.
    /// </summary>
    IActionDistribution Distribution(Tensor latent, ReadOnlySpan<bool> actionMask = default);
}

/// <summary>Base class of the built-in heads: a <see cref="Module"/> (so its parameters train and save) and an <see cref="IPolicyHead"/>.</summary>
public abstract class PolicyHead : Module, IPolicyHead
{
    /// <summary>Records the sizes every head shares.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If a size is not positive.</exception>
    protected PolicyHead(int latentSize, int actionSize)
    {
        if (latentSize < 1) throw new ArgumentOutOfRangeException(nameof(latentSize), latentSize, $"{GetType().Name}: latentSize must be at least 1.");
        if (actionSize < 1) throw new ArgumentOutOfRangeException(nameof(actionSize), actionSize, $"{GetType().Name}: actionSize must be at least 1.");
        LatentSize = latentSize;
        ActionSize = actionSize;
    }

    /// <inheritdoc/>
    public int LatentSize { get; }

    /// <inheritdoc/>
    public int ActionSize { get; }

    /// <inheritdoc/>
    public abstract bool IsDiscrete { get; }

    /// <inheritdoc/>
    public abstract IActionDistribution Distribution(Tensor latent, ReadOnlySpan<bool> actionMask = default);

    /// <summary>Checks that <paramref name="latent"/> is [B, LatentSize].</summary>
    protected void CheckLatent(Tensor latent)
    {
        ArgumentNullException.ThrowIfNull(latent);
        if (latent.Rank != 2 || latent.Dim(1) != LatentSize)
            throw new ArgumentException($"{GetType().Name}: the latent must have shape [batch, {LatentSize}], got {Tensor.ShapeString(latent.Shape)}.", nameof(latent));
    }

    /// <summary>Throws if a mask is passed to a head that cannot use one (silently ignoring it would let masked actions through).</summary>
    protected void RejectMask(ReadOnlySpan<bool> actionMask)
    {
        if (!actionMask.IsEmpty)
            throw new ArgumentException($"{GetType().Name} does not take an action mask; use {nameof(MaskedCategoricalHead)} for masked discrete actions.", nameof(actionMask));
    }

    /// <summary>The output layer CleanRL uses for policies: orthogonal weights with a small gain, zero bias.</summary>
    internal static Linear OutputLayer(int latentSize, int outputs, RandomGenerator rng, float gain) =>
        new(latentSize, outputs, rng, bias: true, Initializer.Orthogonal(gain), Initializer.Zeros);
}
