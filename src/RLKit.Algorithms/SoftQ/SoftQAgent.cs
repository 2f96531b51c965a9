using RLKit.Algorithms.Common;
using RLKit.Algorithms.Dqn;
using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.SoftQ;

/// <summary>
/// A trained soft Q-learning policy: stochastic acting samples the Boltzmann policy π(a|s) ∝ exp(β Q(s, a));
/// deterministic acting takes argmax_a Q(s, a). Checkpointable: the weights are the soft Q-network's parameters under
/// "q." (the target network is a training detail and is not saved).
/// </summary>
public sealed class SoftQAgent : Agent<SoftQOptions>
{
    /// <summary>The prefix of the Q-network's parameters in <see cref="Weights"/>.</summary>
    internal const string WeightPrefix = "q.";

    private readonly RandomGenerator _fallbackRng;

    /// <param name="qNetwork">The online soft Q-network (shared with the estimator while training).</param>
    /// <param name="observationSpace">The environment's single observation space.</param>
    /// <param name="actionSpace">The environment's single (Discrete) action space.</param>
    /// <param name="inverseTemperature">The β of the Boltzmann policy.</param>
    /// <param name="seed">Seeds the fallback generator of stochastic acting.</param>
    /// <param name="options">
    /// The options the agent was trained with, saved in checkpoints. When null, the architecture-defining options are
    /// recovered from the network (hidden sizes) and the acting parameters, with defaults for the rest.
    /// </param>
    internal SoftQAgent(QNetwork qNetwork, Space observationSpace, Space actionSpace, float inverseTemperature, int seed, SoftQOptions? options = null)
        // Whatever the caller passed, the saved options must rebuild exactly this network and acting behaviour.
        : base(observationSpace, actionSpace, (options ?? new SoftQOptions()) with
        {
            HiddenSizes = qNetwork.HiddenSizes.ToArray(),
            InverseTemperature = inverseTemperature,
            Seed = seed,
        })
    {
        QNetwork = qNetwork;
        InverseTemperature = inverseTemperature;
        _fallbackRng = new RandomGenerator(seed);
    }

    /// <summary>
    /// Rebuilds an agent from a checkpoint's options and spaces, with the checkpoint's weights loaded (used by
    /// <see cref="Checkpoint.LoadAgent"/>, which registers it under "sql").
    /// </summary>
    /// <exception cref="ArgumentException">If the checkpoint's action space is not Discrete, or its weights do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    public static SoftQAgent FromCheckpoint(CheckpointData checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var options = checkpoint.GetOptions<SoftQOptions>();
        options.Validate();
        var observationSpace = checkpoint.Metadata.ObservationSpace.ToSpace();
        var actionSpace = checkpoint.Metadata.ActionSpace.ToSpace() as Discrete
            ?? throw new ArgumentException($"sql: the checkpoint's action space {checkpoint.Metadata.ActionSpace.Description} is not Discrete.", nameof(checkpoint));
        var qNetwork = new QNetwork(observationSpace.FlatSize, actionSpace.N, options.HiddenSizes, dueling: false, new RandomGenerator(options.Seed));
        var agent = new SoftQAgent(qNetwork, observationSpace, actionSpace, options.InverseTemperature, options.Seed, options);
        agent.LoadWeights(checkpoint.Weights);
        return agent;
    }

    /// <inheritdoc/>
    public override string Algorithm => SoftQEstimator.Name;

    /// <summary>The soft Q-network, observations [N, obs] → Q-values [N, actions].</summary>
    public QNetwork QNetwork { get; }

    /// <summary>The inverse temperature β of the Boltzmann policy.</summary>
    public float InverseTemperature { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, Tensor> Weights => QNetworkWeights.Prefixed(QNetwork, WeightPrefix);

    /// <inheritdoc/>
    public override void LoadWeights(IReadOnlyDictionary<string, Tensor> weights) =>
        QNetworkWeights.Load(QNetwork, WeightPrefix, weights, nameof(SoftQAgent));

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">If the observations are not [N, obs] or <paramref name="actions"/> is not N long.</exception>
    public override void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
    {
        int count = QAgentGuard.CheckBatch(observations, actions.Length, QNetwork.ObservationSize, Algorithm);
        int actionCount = QNetwork.ActionCount;
        rng ??= _fallbackRng;
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var q = QNetwork.Forward(QAgentGuard.Flat(observations, count, QNetwork.ObservationSize)).AsReadOnlySpan();
        for (int i = 0; i < count; i++)
        {
            var row = q.Slice(i * actionCount, actionCount);
            actions[i] = deterministic ? ValueTargets.Argmax(row) : Boltzmann.SampleBoltzmann(row, InverseTemperature, rng);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Always: soft Q-learning acts in a discrete action space.</exception>
    public override void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
        throw new NotSupportedException($"sql acts in the discrete space {ActionSpace}; pass a Span<int> for the actions.");
}
