using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Common;

/// <summary>
/// What the Q-value agents (DQN, soft Q-learning) share: a <see cref="Common.QNetwork"/> over a Discrete action space,
/// checkpointed under "q." (the target network is a training detail and is not saved), and acting row by row from
/// the Q-values: greedy when deterministic, otherwise the subclass's exploration (ε-greedy, Boltzmann).
/// </summary>
/// <typeparam name="TOptions">The algorithm's options record.</typeparam>
public abstract class QValueAgent<TOptions> : OffPolicyAgent<TOptions> where TOptions : QLearningOptions
{
    /// <summary>The prefix of the Q-network's parameters in <see cref="Weights"/>.</summary>
    internal const string WeightPrefix = "q.";

    private readonly RandomGenerator _fallbackRng;

    private protected QValueAgent(QNetwork qNetwork, Space observationSpace, Space actionSpace, TOptions options)
        : base(observationSpace, actionSpace, options)
    {
        QNetwork = qNetwork ?? throw new ArgumentNullException(nameof(qNetwork));
        _fallbackRng = new RandomGenerator(options.Seed);
    }

    /// <summary>The Q-network, observations [N, obs] → Q-values [N, actions].</summary>
    public QNetwork QNetwork { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Weights
    {
        get
        {
            var state = QNetwork.StateDict();
            var weights = new OrderedDictionary<string, Tensor>(state.Count, StringComparer.Ordinal);
            foreach (var (name, tensor) in state) weights.Add(WeightPrefix + name, tensor);
            return weights;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Naming every missing or unexpected key and every shape mismatch; nothing is copied then.</exception>
    public override void LoadWeights(IReadOnlyDictionary<string, Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var problems = Checkpoint.DescribeWeightMismatches(Weights, weights);
        if (problems.Count > 0)
            throw new ArgumentException($"{GetType().Name}.LoadWeights: the weights do not fit {QNetwork}: {string.Join("; ", problems)}.", nameof(weights));
        var state = new Dictionary<string, Tensor>(weights.Count, StringComparer.Ordinal);
        foreach (var (name, tensor) in weights) state.Add(name[WeightPrefix.Length..], tensor);
        QNetwork.LoadStateDict(state);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">If the observations are not [N, obs] or not all finite, or <paramref name="actions"/> is not N long.</exception>
    public override void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
        ActFromQValues(observations, actions, deterministic, Exploration, rng ?? _fallbackRng);

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: a Q-value agent acts in a discrete action space.</exception>
    public override void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException($"{Algorithm} acts in the discrete space {ActionSpace}; pass a Span<int> for the actions.");

    /// <summary>The exploration setting of stochastic acting (DQN's ε, soft Q-learning's inverse temperature β).</summary>
    private protected abstract float Exploration { get; }

    /// <summary>The exploring choice for one row of Q-values under the given exploration setting.</summary>
    private protected abstract int Explore(ReadOnlySpan<float> qValues, float exploration, RandomGenerator rng);

    /// <summary>Writes one action per row: argmax_a Q(s, a) when <paramref name="deterministic"/>, else <see cref="Explore"/>.</summary>
    private protected void ActFromQValues(Tensor observations, Span<int> actions, bool deterministic, float exploration, RandomGenerator rng)
    {
        int observationSize = QNetwork.ObservationSize;
        AgentActing.CheckBatch(observations, observationSize, actions.Length, perRow: 1, Algorithm);
        int count = observations.Dim(0);
        int actionCount = QNetwork.ActionCount;
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var q = QNetwork.Forward(AgentActing.Flat(observations)).AsReadOnlySpan();
        for (int i = 0; i < count; i++)
        {
            var row = q.Slice(i * actionCount, actionCount);
            actions[i] = deterministic ? ValueTargets.Argmax(row) : Explore(row, exploration, rng);
        }
    }
}
