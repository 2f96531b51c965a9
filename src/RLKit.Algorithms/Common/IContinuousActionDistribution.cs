using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>
/// A distribution over real action vectors that also offers the differentiable (reparameterised) paths actor-critic
/// methods such as SAC and TD3 back-propagate through.
/// </summary>
public interface IContinuousActionDistribution : IActionDistribution
{
    /// <summary>The greedy action as a differentiable tensor [B, ActionSize] (TD3's actor loss goes through it).</summary>
    Tensor ModeTensor();

    /// <summary>A reparameterised sample [B, ActionSize] and its log-probability [B], both differentiable (SAC).</summary>
    /// <exception cref="NotSupportedException">For a deterministic head, which has no density.</exception>
    (Tensor Actions, Tensor LogProb) RSampleWithLogProb(RandomGenerator rng);
}
