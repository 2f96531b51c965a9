using RLKit.Distributed.Wire;
using RLKit.Training.Experience;

namespace RLKit.Distributed.Policies;

/// <summary>
/// A run of transitions one policy worker collected with its own copy of the policy, tagged with the worker and its
/// sequence number (each accepted once, in order). The transitions themselves, with the weight version that acted, are
/// an <see cref="ExperienceBatch"/>: <see cref="ExperienceBatch.Steps"/> vector steps of the worker's sub-environments,
/// which are streams worker × environments … of the whole rollout.
/// </summary>
public sealed class TransitionSegment
{
    internal TransitionSegment(int worker, SegmentWire wire, bool restarted = false)
    {
        Worker = worker;
        Sequence = wire.Sequence;
        Transitions = new ExperienceBatch(worker * wire.Environments, wire.Environments, wire.Steps, wire.PolicyVersion, restarted,
                                          wire.Observations, wire.IntActions, wire.FloatActions, wire.Rewards, wire.NextObservations,
                                          wire.Terminated, wire.Truncated);
    }

    /// <summary>The worker's index.</summary>
    public int Worker { get; }

    /// <summary>The worker's sequence number of this segment (1, 2, …).</summary>
    public long Sequence { get; }

    /// <summary>
    /// The transitions, row-major [step, environment, …], with the version of the weights that chose the actions
    /// (<see cref="ExperienceBatch.PolicyVersion"/>: 0 for the policy as first sent, each broadcast adds 1) and
    /// <see cref="ExperienceBatch.Restarted"/>, true for the first segment after the worker was rebuilt on another silo
    /// (its environments are fresh, so the episodes of its earlier segments never ended).
    /// </summary>
    public ExperienceBatch Transitions { get; }
}
