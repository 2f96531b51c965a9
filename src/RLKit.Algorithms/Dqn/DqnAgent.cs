using RLKit.Algorithms.Common;
using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Dqn;

/// <summary>
/// A trained DQN policy: deterministic acting takes argmax_a Q(s, a); stochastic acting is ε-greedy with the final
/// exploration ε of training. Checkpointable: the weights are the Q-network's parameters under "q." (the target
/// network is a training detail and is not saved).
/// </summary>
public sealed class DqnAgent : Agent<DqnOptions>
{
    /// <summary>The prefix of the Q-network's parameters in <see cref="Weights"/>.</summary>
    internal const string WeightPrefix = "q.";

    private readonly RandomGenerator _fallbackRng;

    /// <param name="qNetwork">The online Q-network (shared with the estimator while training).</param>
    /// <param name="observationSpace">The environment's single observation space.</param>
    /// <param name="actionSpace">The environment's single (Discrete) action space.</param>
    /// <param name="epsilon">The ε of stochastic acting.</param>
    /// <param name="seed">Seeds the fallback generator of stochastic acting.</param>
    /// <param name="options">
    /// The options the agent was trained with, saved in checkpoints. When null, the architecture-defining options are
    /// recovered from the network (hidden sizes, dueling) and the acting parameters, with defaults for the rest.
    /// </param>
    internal DqnAgent(QNetwork qNetwork, Space observationSpace, Space actionSpace, float epsilon, int seed, DqnOptions? options = null)
        // Whatever the caller passed, the saved options must rebuild exactly this network and acting behaviour.
        : base(observationSpace, actionSpace, (options ?? new DqnOptions()) with
        {
            HiddenSizes = qNetwork.HiddenSizes.ToArray(),
            Dueling = qNetwork.IsDueling,
            ExplorationFinalEpsilon = epsilon,
            Seed = seed,
        })
    {
        QNetwork = qNetwork;
        Epsilon = epsilon;
        _fallbackRng = new RandomGenerator(seed);
    }

    /// <summary>
    /// Rebuilds an agent from a checkpoint's options and spaces, with the checkpoint's weights loaded (used by
    /// <see cref="Checkpoint.LoadAgent"/>, which registers it under "dqn").
    /// </summary>
    /// <exception cref="ArgumentException">If the checkpoint's action space is not Discrete, or its weights do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    public static DqnAgent FromCheckpoint(CheckpointData checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var options = checkpoint.GetOptions<DqnOptions>();
        options.Validate();
        var observationSpace = checkpoint.Metadata.ObservationSpace.ToSpace();
        var actionSpace = checkpoint.Metadata.ActionSpace.ToSpace() as Discrete
            ?? throw new ArgumentException($"dqn: the checkpoint's action space {checkpoint.Metadata.ActionSpace.Description} is not Discrete.", nameof(checkpoint));
        var qNetwork = new QNetwork(observationSpace.FlatSize, actionSpace.N, options.HiddenSizes, options.Dueling, new RandomGenerator(options.Seed));
        var agent = new DqnAgent(qNetwork, observationSpace, actionSpace, options.ExplorationFinalEpsilon, options.Seed, options);
        agent.LoadWeights(checkpoint.Weights);
        return agent;
    }

    /// <inheritdoc/>
    public override string Algorithm => DqnEstimator.Name;

    /// <summary>The Q-network, observations [N, obs] → Q-values [N, actions].</summary>
    public QNetwork QNetwork { get; }

    /// <summary>The ε of stochastic (ε-greedy) acting.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Weights => QNetworkWeights.Prefixed(QNetwork, WeightPrefix);

    /// <inheritdoc/>
    public override void LoadWeights(IReadOnlyDictionary<string, Tensor> weights) =>
        QNetworkWeights.Load(QNetwork, WeightPrefix, weights, nameof(DqnAgent));

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">If the observations are not [N, obs] or <paramref name="actions"/> is not N long.</exception>
    public override void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        ActEpsilonGreedy(observations, actions, deterministic ? 0f : Epsilon, rng ?? _fallbackRng);

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: DQN acts in a discrete action space.</exception>
    public override void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
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

/// <summary>A Q-network's weights under a name prefix, as the value-based agents checkpoint them.</summary>
internal static class QNetworkWeights
{
    /// <summary>The network's live tensors keyed by <paramref name="prefix"/> + their dotted name, in state-dict order.</summary>
    public static IReadOnlyDictionary<string, Tensor> Prefixed(QNetwork network, string prefix)
    {
        var state = network.StateDict();
        var weights = new OrderedDictionary<string, Tensor>(state.Count, StringComparer.Ordinal);
        foreach (var (name, tensor) in state) weights.Add(prefix + name, tensor);
        return weights;
    }

    /// <summary>Copies prefixed weights into the network after checking every key and shape; nothing is copied on a mismatch.</summary>
    /// <exception cref="ArgumentException">Naming every missing or unexpected key and every shape mismatch.</exception>
    public static void Load(QNetwork network, string prefix, IReadOnlyDictionary<string, Tensor> weights, string agentName)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var problems = Checkpoint.DescribeWeightMismatches(Prefixed(network, prefix), weights);
        if (problems.Count > 0)
            throw new ArgumentException($"{agentName}.LoadWeights: the weights do not fit {network}: {string.Join("; ", problems)}.", nameof(weights));
        var state = new Dictionary<string, Tensor>(weights.Count, StringComparer.Ordinal);
        foreach (var (name, tensor) in weights) state.Add(name[prefix.Length..], tensor);
        network.LoadStateDict(state);
    }
}
