using RLKit.Distributed.Wire;

namespace RLKit.Distributed.Policies;

/// <summary>
/// A run of transitions one policy worker collected with its own copy of the policy: <see cref="Steps"/> vector steps
/// of its <see cref="Environments"/> sub-environments, row-major [step, environment, …], tagged with the worker, its
/// sequence number (each accepted once, in order) and the weight version that acted.
/// </summary>
public sealed class TransitionSegment
{
    internal TransitionSegment(int worker, SegmentWire wire, bool restarted = false)
    {
        Worker = worker;
        Restarted = restarted;
        Sequence = wire.Sequence;
        PolicyVersion = wire.PolicyVersion;
        Steps = wire.Steps;
        Environments = wire.Environments;
        Observations = wire.Observations;
        IntActions = wire.IntActions;
        FloatActions = wire.FloatActions;
        Rewards = wire.Rewards;
        NextObservations = wire.NextObservations;
        Terminated = wire.Terminated;
        Truncated = wire.Truncated;
    }

    /// <summary>The worker's index.</summary>
    public int Worker { get; }

    /// <summary>The worker's sequence number of this segment (1, 2, …).</summary>
    public long Sequence { get; }

    /// <summary>
    /// True for the first segment after the worker was rebuilt on another silo (its silo died): its environments are
    /// fresh, so the episodes of its earlier segments never ended.
    /// </summary>
    public bool Restarted { get; }

    /// <summary>The version of the weights that chose the actions (0: the policy as first sent; each broadcast adds 1).</summary>
    public long PolicyVersion { get; }

    /// <summary>Vector steps in the segment.</summary>
    public int Steps { get; }

    /// <summary>Sub-environments of the worker.</summary>
    public int Environments { get; }

    /// <summary>Transitions in the segment: <see cref="Steps"/> × <see cref="Environments"/>.</summary>
    public int Count => Steps * Environments;

    /// <summary>s, [Count × observation size].</summary>
    public ReadOnlyMemory<float> Observations { get; }

    /// <summary>Discrete actions, [Count] (empty for Box actions).</summary>
    public ReadOnlyMemory<int> IntActions { get; }

    /// <summary>Box actions, [Count × action size] (empty for discrete actions).</summary>
    public ReadOnlyMemory<float> FloatActions { get; }

    /// <summary>r, [Count].</summary>
    public ReadOnlyMemory<float> Rewards { get; }

    /// <summary>The true s′ (the final observation where an episode ended), [Count × observation size].</summary>
    public ReadOnlyMemory<float> NextObservations { get; }

    /// <summary>Terminated flags, [Count].</summary>
    public ReadOnlyMemory<bool> Terminated { get; }

    /// <summary>Truncated flags, [Count] (bootstrap from s′ on truncation).</summary>
    public ReadOnlyMemory<bool> Truncated { get; }
}
