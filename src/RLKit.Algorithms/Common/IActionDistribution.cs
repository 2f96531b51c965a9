using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>
/// The action distribution a policy head produces for a batch of B latent rows: it samples and takes the mode
/// straight into the span a vector environment steps with, and gives differentiable log-probabilities and entropies
/// for the losses.
/// </summary>
/// <remarks>
/// Discrete distributions implement the <c>Span&lt;int&gt;</c> members, continuous ones the <c>Span&lt;float&gt;</c>
/// and tensor members; the others throw <see cref="NotSupportedException"/>. Continuous actions are in the head's own
/// range (unbounded for a Gaussian, [−1, 1] for tanh heads); see <see cref="ActionRescaling"/> for the environment's box.
/// </remarks>
public interface IActionDistribution
{
    /// <summary>The number of rows B.</summary>
    int BatchSize { get; }

    /// <summary>True for a distribution over action ids, false for one over real vectors.</summary>
    bool IsDiscrete { get; }

    /// <summary>The number of choices (discrete) or the action dimension (continuous).</summary>
    int ActionSize { get; }

    /// <summary>Samples one action id per row into <paramref name="actions"/> (length B).</summary>
    void Sample(RandomGenerator rng, Span<int> actions);

    /// <summary>Samples one action vector per row into <paramref name="actions"/> (length B × ActionSize, row-major).</summary>
    void Sample(RandomGenerator rng, Span<float> actions);

    /// <summary>Writes the most likely action id of each row (the greedy action).</summary>
    void Mode(Span<int> actions);

    /// <summary>Writes the most likely action vector of each row (the greedy action), B × ActionSize floats.</summary>
    void Mode(Span<float> actions);

    /// <summary>Log-probabilities [B] of the given action ids (one per row); differentiable.</summary>
    Tensor LogProb(ReadOnlySpan<int> actions);

    /// <summary>Log-probabilities [B] of the given action vectors [B, ActionSize]; differentiable.</summary>
    Tensor LogProb(Tensor actions);

    /// <summary>Entropy [B] of each row's distribution; differentiable.</summary>
    Tensor Entropy();
}
