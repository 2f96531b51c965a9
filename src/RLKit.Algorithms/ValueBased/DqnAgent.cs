using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.ValueBased;

/// <summary>
/// A trained DQN policy: deterministic acting takes argmax_a Q(s, a); stochastic acting is ε-greedy with the final
/// exploration ε of training.
/// </summary>
public sealed class DqnAgent : IAgent
{
    private readonly RandomGenerator _fallbackRng;

    internal DqnAgent(QNetwork qNetwork, Space observationSpace, Space actionSpace, float epsilon, int seed)
    {
        QNetwork = qNetwork;
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        Epsilon = epsilon;
        _fallbackRng = new RandomGenerator(seed);
    }

    /// <inheritdoc/>
    public string Algorithm => DqnEstimator.Name;

    /// <inheritdoc/>
    public Space ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; }

    /// <summary>The Q-network, observations [N, obs] → Q-values [N, actions].</summary>
    public QNetwork QNetwork { get; }

    /// <summary>The ε of stochastic (ε-greedy) acting.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">If the observations are not [N, obs] or <paramref name="actions"/> is not N long.</exception>
    public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        ActEpsilonGreedy(observations, actions, deterministic ? 0f : Epsilon, rng ?? _fallbackRng);

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: DQN acts in a discrete action space.</exception>
    public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException($"dqn acts in the discrete space {ActionSpace}; pass a Span<int> for the actions.");

    /// <summary>With probability ε a uniformly random action, else argmax_a Q(s, a), per row.</summary>
    internal void ActEpsilonGreedy(Tensor observations, Span<int> actions, float epsilon, RandomGenerator rng)
    {
        int count = QAgentGuard.CheckBatch(observations, actions.Length, QNetwork.ObservationSize, Algorithm);
        int actionCount = QNetwork.ActionCount;
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var q = QNetwork.Forward(QAgentGuard.Flat(observations, count, QNetwork.ObservationSize)).AsReadOnlySpan();
        for (int i = 0; i < count; i++)
            actions[i] = epsilon > 0f && rng.NextSingle() < epsilon
                ? rng.NextInt(actionCount)
                : ValueTargets.Argmax(q.Slice(i * actionCount, actionCount));
    }
}
