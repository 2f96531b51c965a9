using RLKit.Algorithms.Common;
using RLKit.Data;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.A2c;

/// <summary>
/// A trained (or training) A2C agent: an <see cref="Common.ActorCriticNetwork"/> network (or the Mix &amp; Mask
/// <see cref="MixMask.SharedFeatureNetwork"/> when <see cref="A2cOptions.SharedFeatures"/> is set) whose policy head is
/// categorical for a Discrete action space and a diagonal Gaussian for a one-dimensional Box. Acting runs without gradients.
/// </summary>
public sealed class A2cAgent : OnPolicyAgent<A2cOptions>
{
    /// <summary>Builds an untrained agent for the given spaces.</summary>
    /// <param name="observationSpace">A Box of observations.</param>
    /// <param name="actionSpace">Discrete, or a one-dimensional Box.</param>
    /// <param name="options">The hyperparameters (network shape, initial log-std); validated here.</param>
    /// <param name="rng">Drives weight initialisation and, when no generator is passed to <c>Act</c>, sampling.</param>
    /// <exception cref="NotSupportedException">For other action spaces, or when <see cref="A2cOptions.ActionRelations"/> or
    /// <see cref="A2cOptions.UtilityPolicy"/> is set and the action space is not an ActionSet.</exception>
    /// <exception cref="ArgumentException">If <see cref="A2cOptions.UtilityPolicy"/> is set and the actions have no representations.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid (the message names it).</exception>
    public A2cAgent(Space observationSpace, Space actionSpace, A2cOptions options, RandomGenerator rng)
        : base(observationSpace, actionSpace, Validated(options), rng, "A2C",
               options.HiddenSizes, options.SharedNetwork, options.HiddenActivation(), options.InitialLogStd, options.SharedFeatures, options.ActionRelations,
               options.UtilityPolicy) { }

    /// <summary>
    /// Rebuilds an agent from a checkpoint's options and spaces, with the checkpoint's weights loaded (the restore of
    /// the "a2c" factory, through which <see cref="Checkpoint.LoadAgent"/> loads it).
    /// </summary>
    /// <exception cref="ArgumentException">If the checkpoint's weights do not fit the rebuilt network.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    /// <exception cref="NotSupportedException">If the stored action space is neither Discrete nor a one-dimensional Box.</exception>
    public static A2cAgent FromCheckpoint(CheckpointData checkpoint) =>
        Restore(checkpoint, A2cEstimator.Name,
                static (Space observationSpace, Space actionSpace, A2cOptions options) => new A2cAgent(observationSpace, actionSpace, options, new RandomGenerator(options.Seed)));

    /// <inheritdoc/>
    public override string Algorithm => A2cEstimator.Name;

    /// <summary>Differentiable log π(a|s), entropy and V(s) of a stored batch, for the loss.</summary>
    internal (Tensor LogProb, Tensor Entropy, Tensor Value) Evaluate(RolloutMinibatch batch)
    {
        var (policy, value) = Network.Forward(batch.Observations, batch.ActionMasks);
        var logProb = IsDiscrete ? policy.LogProb(batch.ActionIndices) : policy.LogProb(batch.Actions);
        return (logProb, policy.Entropy(), value);
    }
}
