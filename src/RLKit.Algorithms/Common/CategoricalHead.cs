using RLKit.Nn;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>A categorical policy head for a Discrete action space: one linear layer to logits.</summary>
public sealed class CategoricalHead : PolicyHead
{
    private readonly Linear _logits;

    /// <summary>Creates the head; the logit layer is orthogonally initialised with <paramref name="gain"/> (0.01 as CleanRL, so the initial policy is near uniform).</summary>
    public CategoricalHead(int latentSize, int actionCount, RandomGenerator rng, float gain = 0.01f) : base(latentSize, actionCount)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _logits = RegisterModule("logits", OutputLayer(latentSize, actionCount, rng, gain));
    }

    /// <summary>The logit layer Linear(latent, actions).</summary>
    internal Linear LogitLayer => _logits;

    /// <inheritdoc/>
    public override bool IsDiscrete => true;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">If a mask is given (use <see cref="MaskedCategoricalHead"/>).</exception>
    public override IActionDistribution Distribution(Tensor latent, ReadOnlySpan<bool> actionMask = default)
    {
        CheckLatent(latent);
        RejectMask(actionMask);
        return new CategoricalDistribution(_logits.Forward(latent), default);
    }
}

/// <summary>
/// A categorical head that honours an action mask (for example a vector environment's <c>ActionMasks</c> over an
/// ActionSet): masked actions have probability zero, are never sampled and never the mode.
/// </summary>
public sealed class MaskedCategoricalHead : PolicyHead
{
    private readonly Linear _logits;

    /// <summary>Creates the head; see <see cref="CategoricalHead(int, int, RandomGenerator, float)"/>.</summary>
    public MaskedCategoricalHead(int latentSize, int actionCount, RandomGenerator rng, float gain = 0.01f) : base(latentSize, actionCount)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _logits = RegisterModule("logits", OutputLayer(latentSize, actionCount, rng, gain));
    }

    /// <summary>The logit layer Linear(latent, actions).</summary>
    internal Linear LogitLayer => _logits;

    /// <inheritdoc/>
    public override bool IsDiscrete => true;

    /// <inheritdoc/>
    /// <remarks>An empty mask allows every action.</remarks>
    /// <exception cref="ArgumentException">If the mask is not [B, ActionSize] or a row allows nothing.</exception>
    public override IActionDistribution Distribution(Tensor latent, ReadOnlySpan<bool> actionMask = default)
    {
        CheckLatent(latent);
        return new CategoricalDistribution(_logits.Forward(latent), actionMask);
    }
}
