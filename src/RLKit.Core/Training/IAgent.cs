using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Training;

/// <summary>
/// A trained (or training) policy: it acts on a batch of observations and exposes its spaces. Agents are what
/// <see cref="IAgentEstimator{TAgent}.Fit(Environments.Vector.IVectorEnvironment, Budget, IProgress{TrainingUpdate}?, CancellationToken, TAgent)"/>
/// returns, what evaluation runs and what checkpoints save.
/// </summary>
public interface IAgent
{
    /// <summary>The algorithm's short name, e.g. "ppo".</summary>
    string Algorithm { get; }

    /// <summary>The observation space the agent was trained on.</summary>
    Space ObservationSpace { get; }

    /// <summary>The action space the agent acts in.</summary>
    Space ActionSpace { get; }

    /// <summary>
    /// Chooses discrete actions for a batch of observations [N, obs...]: N ids for Discrete / ActionSet spaces, N × list
    /// length ids (row-major) for an ActionList.
    /// Deterministic acting takes the mode of the policy; stochastic acting samples with <paramref name="rng"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">If the action space is continuous.</exception>
    void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null);

    /// <summary>Chooses continuous actions (Box spaces) for a batch [N, obs...], writing N × action-size floats.</summary>
    /// <exception cref="NotSupportedException">If the action space is discrete.</exception>
    void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null);
}
