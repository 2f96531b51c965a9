using RLKit.Algorithms.Common;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Td3;

/// <summary>
/// A policy trained by <see cref="Td3Estimator"/> (Twin Delayed DDPG): a deterministic tanh actor rescaled to the action box.
/// Deterministic acting returns μ(s); stochastic acting adds Gaussian noise of the training exploration scale, clipped to the box.
/// </summary>
public sealed class Td3Agent : DeterministicActorAgent<Td3Options>
{
    internal Td3Agent(Space observationSpace, Box actionSpace, DeterministicNetworks networks, Td3Options options)
        : base(observationSpace, actionSpace, networks, options) { }

    /// <summary>An untrained agent with fresh networks drawn from <paramref name="rng"/>.</summary>
    internal static Td3Agent Create(Space observationSpace, Box actionSpace, Td3Options options, RandomGenerator rng) =>
        new(observationSpace, actionSpace, new DeterministicNetworks(observationSpace.FlatSize, actionSpace, options.HiddenSizes, twinCritics: true, rng), options);

    /// <summary>Rebuilds an agent from a checkpoint's options and spaces, with its weights.</summary>
    /// <exception cref="ArgumentException">If the action space is not a Box or the weights do not fit.</exception>
    public static Td3Agent FromCheckpoint(CheckpointData checkpoint) =>
        Restore(checkpoint, Td3Estimator.Name, static (Space observationSpace, Box actionSpace, Td3Options options) =>
            Create(observationSpace, actionSpace, options, new RandomGenerator(options.Seed)));

    /// <inheritdoc/>
    public override string Algorithm => Td3Estimator.Name;
}
