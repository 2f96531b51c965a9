using RLKit.Algorithms.Common;
using RLKit.Algorithms.MixMask;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Ppo;

/// <summary>
/// A PPO policy: an <see cref="ActorCriticNetwork"/> whose head fits the action space (categorical for Discrete, masked
/// categorical for ActionSet, diagonal Gaussian for a one-dimensional Box), or the Mix &amp; Mask
/// <see cref="SharedFeatureNetwork"/> when <see cref="PpoOptions.SharedFeatures"/> is set, or the relational
/// <see cref="ActionRelations.ActionSetActorCritic"/> (AGILE) when <see cref="PpoOptions.ActionRelations"/> is set, or the
/// <see cref="ActionRelations.UtilityPolicyHead"/> on the actor trunk when <see cref="PpoOptions.UtilityPolicy"/> is set. Acting runs without
/// gradients; continuous actions are clipped to the box, as SB3 does when stepping.
/// </summary>
public sealed class PpoAgent : OnPolicyAgent<PpoOptions>
{
    /// <summary>Builds an untrained agent for the given spaces.</summary>
    /// <exception cref="NotSupportedException">If the action space is not Discrete, ActionSet or a one-dimensional Box, or
    /// <see cref="PpoOptions.ActionRelations"/> or <see cref="PpoOptions.UtilityPolicy"/> is set and it is not an ActionSet.</exception>
    /// <exception cref="ArgumentException">If <see cref="PpoOptions.UtilityPolicy"/> is set and the actions have no representations.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If an option is invalid.</exception>
    public PpoAgent(Space observationSpace, Space actionSpace, PpoOptions options, RandomGenerator rng)
        : base(observationSpace, actionSpace, Validated(options), rng, "PPO",
               options.HiddenSizes, options.SharedNetwork, Nn.Activation.Tanh, options.InitialLogStd, options.SharedFeatures, options.ActionRelations,
               options.UtilityPolicy) { }

    /// <summary>Rebuilds an agent from a checkpoint's options and spaces, with the checkpoint's weights loaded.</summary>
    /// <exception cref="ArgumentException">If the checkpoint's weights do not fit the rebuilt network.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If a stored option is invalid.</exception>
    public static PpoAgent FromCheckpoint(CheckpointData checkpoint) =>
        Restore(checkpoint, PpoEstimator.Name,
                static (Space observationSpace, Space actionSpace, PpoOptions options) => new PpoAgent(observationSpace, actionSpace, options, new RandomGenerator(options.Seed)));

    /// <inheritdoc/>
    public override string Algorithm => PpoEstimator.Name;

}
