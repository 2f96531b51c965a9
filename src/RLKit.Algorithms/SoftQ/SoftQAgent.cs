using RLKit.Algorithms.Common;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.SoftQ;

/// <summary>
/// A trained soft Q-learning policy: stochastic acting samples the Boltzmann policy π(a|s) ∝ exp(β Q(s, a));
/// deterministic acting takes argmax_a Q(s, a). Checkpointable: the weights are the soft Q-network's parameters under "q.".
/// </summary>
public sealed class SoftQAgent : QValueAgent<SoftQOptions>
{
    /// <param name="qNetwork">The online soft Q-network (shared with the estimator while training).</param>
    /// <param name="observationSpace">The environment's single observation space.</param>
    /// <param name="actionSpace">The environment's single (Discrete) action space.</param>
    /// <param name="options">The options the agent was trained with (its β, its seed), saved in checkpoints.</param>
    internal SoftQAgent(QNetwork qNetwork, Space observationSpace, Space actionSpace, SoftQOptions options)
        // The saved options must rebuild exactly this network.
        : base(qNetwork, observationSpace, actionSpace, options with { HiddenSizes = qNetwork.HiddenSizes.ToArray() }) { }

    /// <summary>Rebuilds an agent from a checkpoint's options and spaces, with the checkpoint's weights loaded.</summary>
    /// <exception cref="ArgumentException">If the checkpoint's action space is not Discrete, or its weights do not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    public static SoftQAgent FromCheckpoint(CheckpointData checkpoint) =>
        Restore(checkpoint, SoftQEstimator.Name, static (Space observationSpace, Discrete actionSpace, SoftQOptions options) =>
            new SoftQAgent(new QNetwork(observationSpace.FlatSize, actionSpace.N, options.HiddenSizes, dueling: false, new RandomGenerator(options.Seed)),
                           observationSpace, actionSpace, options));

    /// <inheritdoc/>
    public override string Algorithm => SoftQEstimator.Name;

    /// <summary>The inverse temperature β of the Boltzmann policy.</summary>
    public float InverseTemperature => Options.InverseTemperature;

    private protected override float Exploration => InverseTemperature;

    private protected override int Explore(ReadOnlySpan<float> qValues, float inverseTemperature, RandomGenerator rng) =>
        Boltzmann.SampleBoltzmann(qValues, inverseTemperature, rng);
}
