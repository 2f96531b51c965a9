using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Common;

/// <summary>The trainable networks of TD3 and DDPG: a deterministic actor and one or two critics (no targets).</summary>
internal sealed class DeterministicNetworks
{
    public DeterministicNetworks(int observationSize, Box actionSpace, IReadOnlyList<int> hiddenSizes, bool twinCritics, RandomGenerator rng)
    {
        Actor = new DeterministicActor(observationSize, actionSpace, hiddenSizes, rng);
        Q1 = new ContinuousQNetwork(observationSize, actionSpace.FlatSize, hiddenSizes, rng);
        Q2 = twinCritics ? new ContinuousQNetwork(observationSize, actionSpace.FlatSize, hiddenSizes, rng) : null;
    }

    public DeterministicActor Actor { get; }
    public ContinuousQNetwork Q1 { get; }

    /// <summary>TD3's second critic; null for DDPG.</summary>
    public ContinuousQNetwork? Q2 { get; }
}
