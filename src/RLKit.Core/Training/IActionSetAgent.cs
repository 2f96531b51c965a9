using RLKit.Tensors;

namespace RLKit.Training;

/// <summary>
/// An agent whose choice depends on which actions are available, not only on the observation: agents for
/// <see cref="Spaces.ActionSet"/> and <see cref="Spaces.ActionList"/> spaces (masked policies, AGILE, cascaded DQN).
/// Evaluation and prediction hand it the environment's availability; <see cref="IAgent.Act(Tensor, Span{int}, bool, RandomGenerator?)"/>
/// without it acts as if every action were available.
/// </summary>
public interface IActionSetAgent : IAgent
{
    /// <summary>
    /// Chooses actions for a batch of observations [N, obs…] given each row's available actions.
    /// </summary>
    /// <param name="observations">[N, obs…].</param>
    /// <param name="availability">Row-major [N, universe size]: which actions each row may take (a vector environment's <c>ActionMasks</c>).</param>
    /// <param name="actions">N ids for an ActionSet; N × list length ids, row-major, for an ActionList.</param>
    /// <param name="deterministic">Take the greedy choice rather than sampling.</param>
    /// <param name="rng">The sampling generator when not deterministic; the agent's own when null.</param>
    /// <exception cref="ArgumentException">If a shape is wrong or a row has no (or too few) available actions.</exception>
    void Act(Tensor observations, ReadOnlySpan<bool> availability, Span<int> actions, bool deterministic, RandomGenerator? rng = null);
}
