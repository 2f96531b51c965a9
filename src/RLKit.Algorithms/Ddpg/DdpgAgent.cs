using RLKit.Algorithms.Common;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Ddpg;

/// <summary>
/// A policy trained by <see cref="DdpgEstimator"/> (DDPG): a deterministic tanh actor rescaled to the action box.
/// Deterministic acting returns μ(s); stochastic acting adds Gaussian noise of the training exploration scale, clipped to the box.
/// </summary>
public sealed class DdpgAgent : DeterministicActorAgent<DdpgOptions>
{
    internal DdpgAgent(Space observationSpace, Box actionSpace, DeterministicNetworks networks, DdpgOptions options)
        : base(observationSpace, actionSpace, networks, options) { }

    /// <summary>An untrained agent with fresh networks drawn from <paramref name="rng"/>.</summary>
    internal static DdpgAgent Create(Space observationSpace, Box actionSpace, DdpgOptions options, RandomGenerator rng) =>
        new(observationSpace, actionSpace, new DeterministicNetworks(observationSpace.FlatSize, actionSpace, options.HiddenSizes, twinCritics: false, rng), options);

    /// <summary>Rebuilds an agent from a checkpoint's options and spaces, with its weights.</summary>
    /// <exception cref="ArgumentException">If the action space is not a Box or the weights do not fit.</exception>
    public static DdpgAgent FromCheckpoint(CheckpointData checkpoint) =>
        Restore(checkpoint, DdpgEstimator.Name, static (Space observationSpace, Box actionSpace, DdpgOptions options) =>
            Create(observationSpace, actionSpace, options, new RandomGenerator(options.Seed)));

    /// <inheritdoc/>
    public override string Algorithm => DdpgEstimator.Name;
}
