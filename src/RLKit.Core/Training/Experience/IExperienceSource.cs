using RLKit.Spaces;

namespace RLKit.Training.Experience;

/// <summary>
/// Experience that arrives from outside the learner: producers (remote workers, another thread, a log) that act with
/// a policy the learner publishes and deliver batches of transitions, each tagged with the version of the policy that
/// acted. Off-policy estimators fill their replay buffer from it while they learn
/// (<c>Fit(IExperienceSource, Budget, …)</c> on DQN, soft Q-learning, SAC, TD3 and DDPG).
/// </summary>
/// <remarks>
/// <para>The transitions of the source form <see cref="StreamCount"/> streams (sub-environments), numbered
/// 0 … StreamCount − 1. Each batch holds consecutive steps of a contiguous range of streams; the batches of one stream
/// arrive in order. Batches of different streams may interleave in any way.</para>
/// <para>The learner calls <see cref="Publish"/> once before its first <see cref="Receive"/>, then again whenever its
/// weights or its exploration have moved on. A source must copy what it needs from the policy during
/// <see cref="Publish"/> (the learner keeps training the same object).</para>
/// </remarks>
public interface IExperienceSource
{
    /// <summary>The observation space of one stream.</summary>
    Space ObservationSpace { get; }

    /// <summary>The action space of one stream (Discrete or Box).</summary>
    Space ActionSpace { get; }

    /// <summary>The number of streams (sub-environments) across all producers, at least 1.</summary>
    int StreamCount { get; }

    /// <summary>
    /// Makes <paramref name="policy"/>'s current weights, with <paramref name="behavior"/>, the way the producers act
    /// from their next batch on, and returns the version they will tag that experience with (0 for the first publish,
    /// then 1, 2, …). May return before every producer has the new version.
    /// </summary>
    long Publish(IAgent policy, ExplorationBehavior behavior);

    /// <summary>
    /// Waits for the next batch and returns it, or returns null once the source has ended or
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <exception cref="InvalidOperationException">If called before the first <see cref="Publish"/>.</exception>
    ExperienceBatch? Receive(CancellationToken cancellationToken);
}
