namespace RLKit.Training.Experience;

/// <summary>
/// A block of transitions from an <see cref="IExperienceSource"/>: <see cref="Steps"/> consecutive steps of the
/// <see cref="Streams"/> streams starting at <see cref="FirstStream"/>, row-major [step, stream, …], tagged with the
/// version of the published policy that acted. s′ is the true next observation (the final one where an episode ended),
/// so truncated transitions bootstrap from it.
/// </summary>
public sealed class ExperienceBatch
{
    /// <summary>Creates a batch; the learner checks the lengths against its spaces when it receives it.</summary>
    /// <param name="firstStream">The first stream's index, ≥ 0.</param>
    /// <param name="streams">Streams in the batch, ≥ 1.</param>
    /// <param name="steps">Consecutive steps of each stream, ≥ 1.</param>
    /// <param name="policyVersion">The published version that chose the actions (see <see cref="IExperienceSource.Publish"/>).</param>
    /// <param name="restarted">True if the streams' environments were made afresh just before this batch, so their unfinished episodes were lost.</param>
    /// <param name="observations">s, [steps × streams × observation size].</param>
    /// <param name="discreteActions">Discrete actions, [steps × streams] (empty for Box actions).</param>
    /// <param name="continuousActions">Box actions, [steps × streams × action size] (empty for discrete actions).</param>
    /// <param name="rewards">r, [steps × streams].</param>
    /// <param name="nextObservations">The true s′, [steps × streams × observation size].</param>
    /// <param name="terminated">Terminated flags, [steps × streams].</param>
    /// <param name="truncated">Truncated flags, [steps × streams].</param>
    /// <exception cref="ArgumentOutOfRangeException">If a count is outside its range.</exception>
    public ExperienceBatch(int firstStream, int streams, int steps, long policyVersion, bool restarted,
                           ReadOnlyMemory<float> observations, ReadOnlyMemory<int> discreteActions, ReadOnlyMemory<float> continuousActions,
                           ReadOnlyMemory<float> rewards, ReadOnlyMemory<float> nextObservations, ReadOnlyMemory<bool> terminated, ReadOnlyMemory<bool> truncated)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstStream);
        ArgumentOutOfRangeException.ThrowIfLessThan(streams, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        FirstStream = firstStream;
        Streams = streams;
        Steps = steps;
        PolicyVersion = policyVersion;
        Restarted = restarted;
        Observations = observations;
        DiscreteActions = discreteActions;
        ContinuousActions = continuousActions;
        Rewards = rewards;
        NextObservations = nextObservations;
        Terminated = terminated;
        Truncated = truncated;
    }

    /// <summary>The index of the batch's first stream.</summary>
    public int FirstStream { get; }

    /// <summary>The number of streams in the batch.</summary>
    public int Streams { get; }

    /// <summary>Consecutive steps of each stream.</summary>
    public int Steps { get; }

    /// <summary>Transitions in the batch: <see cref="Steps"/> × <see cref="Streams"/>.</summary>
    public int Count => Steps * Streams;

    /// <summary>The version of the published policy that chose the actions.</summary>
    public long PolicyVersion { get; }

    /// <summary>True if the streams' environments were made afresh just before this batch (their unfinished episodes were lost).</summary>
    public bool Restarted { get; }

    /// <summary>s, [Count × observation size].</summary>
    public ReadOnlyMemory<float> Observations { get; }

    /// <summary>Discrete actions as indices from 0, [Count] (empty for Box actions).</summary>
    public ReadOnlyMemory<int> DiscreteActions { get; }

    /// <summary>Box actions, [Count × action size] (empty for discrete actions).</summary>
    public ReadOnlyMemory<float> ContinuousActions { get; }

    /// <summary>r, [Count].</summary>
    public ReadOnlyMemory<float> Rewards { get; }

    /// <summary>The true s′, [Count × observation size].</summary>
    public ReadOnlyMemory<float> NextObservations { get; }

    /// <summary>Terminated flags, [Count].</summary>
    public ReadOnlyMemory<bool> Terminated { get; }

    /// <summary>Truncated flags, [Count].</summary>
    public ReadOnlyMemory<bool> Truncated { get; }
}
