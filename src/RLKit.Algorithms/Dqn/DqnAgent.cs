using RLKit.Algorithms.Common;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Dqn;

/// <summary>
/// A trained DQN policy: deterministic acting takes argmax_a Q(s, a); stochastic acting is ε-greedy with the final
/// exploration ε of training. Checkpointable: the weights are the Q-network's parameters under "q.".
/// </summary>
public sealed class DqnAgent : QValueAgent<DqnOptions>
{
    /// <param name="qNetwork">The online Q-network (shared with the estimator while training).</param>
    /// <param name="observationSpace">The environment's single observation space.</param>
    /// <param name="actionSpace">The environment's single (Discrete) action space.</param>
    /// <param name="options">The options the agent was trained with (its ε of stochastic acting, its seed), saved in checkpoints.</param>
    internal DqnAgent(QNetwork qNetwork, Space observationSpace, Space actionSpace, DqnOptions options)
        // The saved options must rebuild exactly this network.
        : base(qNetwork, observationSpace, actionSpace, options with { HiddenSizes = qNetwork.HiddenSizes.ToArray(), Dueling = qNetwork.IsDueling }) { }

    /// <summary>Rebuilds an agent from a checkpoint's options and spaces, with the checkpoint's weights loaded.</summary>
    /// <exception cref="ArgumentException">If the checkpoint's action space is not Discrete, or its weights do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    public static DqnAgent FromCheckpoint(CheckpointData checkpoint) =>
        Restore(checkpoint, DqnEstimator.Name, static (Space observationSpace, Discrete actionSpace, DqnOptions options) =>
            new DqnAgent(new QNetwork(observationSpace.FlatSize, actionSpace.N, options.HiddenSizes, options.Dueling, new RandomGenerator(options.Seed)),
                         observationSpace, actionSpace, options));

    /// <inheritdoc/>
    public override string Algorithm => DqnEstimator.Name;

    /// <summary>The ε of stochastic (ε-greedy) acting: the final ε of training.</summary>
    public float Epsilon => Options.ExplorationFinalEpsilon;

    /// <summary>With probability ε a uniformly random action, else argmax_a Q(s, a), per row.</summary>
    internal void ActEpsilonGreedy(Tensor observations, Span<int> actions, float epsilon, RandomGenerator rng) =>
        ActFromQValues(observations, actions, deterministic: epsilon <= 0f, epsilon, rng);

    private protected override float Exploration => Epsilon;

    private protected override int Explore(ReadOnlySpan<float> qValues, float epsilon, RandomGenerator rng) =>
        rng.NextSingle() < epsilon ? rng.NextInt(qValues.Length) : ValueTargets.Argmax(qValues);
}
