using RLKit.Training.Experience;

namespace RLKit.Distributed.Wire;

/// <summary>
/// An <see cref="ExplorationBehavior"/> on the wire: it travels with every policy and weight broadcast, so a worker
/// explores as the learner's algorithm would at that version (DQN's current ε; random actions before learning starts).
/// </summary>
[GenerateSerializer, Immutable]
internal sealed record BehaviorWire([property: Id(0)] ExplorationKind Kind, [property: Id(1)] float Epsilon)
{
    /// <summary>The policy's own stochastic acting: what policy workers did before behaviours travelled.</summary>
    public static BehaviorWire PolicySampling { get; } = From(ExplorationBehavior.PolicySampling);

    public static BehaviorWire From(ExplorationBehavior behavior) => new(behavior.Kind, behavior.Epsilon);

    public ExplorationBehavior ToBehavior() => Kind switch
    {
        ExplorationKind.PolicySampling => ExplorationBehavior.PolicySampling,
        ExplorationKind.UniformRandom => ExplorationBehavior.UniformRandom,
        ExplorationKind.EpsilonGreedy => ExplorationBehavior.EpsilonGreedy(Epsilon),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "BehaviorWire: unknown exploration kind."),
    };
}
