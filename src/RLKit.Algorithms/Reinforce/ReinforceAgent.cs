using RLKit.Algorithms.Common;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Reinforce;

/// <summary>
/// A trained (or training) REINFORCE agent: an <see cref="Common.ActorCriticNetwork"/> network with separate actor and baseline
/// trunks, whose policy head is categorical for a Discrete action space and a diagonal Gaussian for a one-dimensional
/// Box. The critic output is the learned baseline V(s). Acting runs without gradients.
/// </summary>
public sealed class ReinforceAgent : OnPolicyAgent<ReinforceOptions>
{
    /// <summary>Builds an untrained agent for the given spaces.</summary>
    /// <param name="observationSpace">A Box of observations.</param>
    /// <param name="actionSpace">Discrete, or a one-dimensional Box.</param>
    /// <param name="options">The hyperparameters (network shape, initial log-std); validated here.</param>
    /// <param name="rng">Drives weight initialisation and, when no generator is passed to <c>Act</c>, sampling.</param>
    /// <exception cref="NotSupportedException">For other action spaces.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid (the message names it).</exception>
    public ReinforceAgent(Space observationSpace, Space actionSpace, ReinforceOptions options, RandomGenerator rng)
        : base(observationSpace, actionSpace, Validated(options), rng, "REINFORCE",
               options.HiddenSizes, sharedTrunk: false, options.HiddenActivation(), options.InitialLogStd) { }

    /// <summary>
    /// Rebuilds an agent from a checkpoint's options and spaces, with the checkpoint's weights loaded (the restore of
    /// the "reinforce" factory, through which <see cref="Checkpoint.LoadAgent"/> loads it).
    /// </summary>
    /// <exception cref="ArgumentException">If the checkpoint's weights do not fit the rebuilt network.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    /// <exception cref="NotSupportedException">If the stored action space is neither Discrete nor a one-dimensional Box.</exception>
    public static ReinforceAgent FromCheckpoint(CheckpointData checkpoint) =>
        Restore(checkpoint, ReinforceEstimator.Name,
                static (Space observationSpace, Space actionSpace, ReinforceOptions options) => new ReinforceAgent(observationSpace, actionSpace, options, new RandomGenerator(options.Seed)));

    /// <inheritdoc/>
    public override string Algorithm => ReinforceEstimator.Name;

    /// <summary>Differentiable log π(a|s), entropy and baseline V(s) of a batch of observations [T, obs] and the actions taken.</summary>
    internal (Tensor LogProb, Tensor Entropy, Tensor Value) Evaluate(Tensor observations, ReadOnlySpan<int> discreteActions, Tensor? continuousActions)
    {
        var (policy, value) = Network.Forward(observations);
        var logProb = IsDiscrete ? policy.LogProb(discreteActions) : policy.LogProb(continuousActions!);
        return (logProb, policy.Entropy(), value);
    }
}
