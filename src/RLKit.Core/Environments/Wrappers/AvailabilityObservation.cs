using RLKit.Spaces;

namespace RLKit.Environments.Wrappers;

/// <summary>
/// Appends which actions are available to the observation: after the inner observation (flattened) come
/// <c>Items.Count</c> floats, 1 for an available action and 0 for an unavailable one, in universe order (id 0 first).
/// A policy with a fixed output per action can then see the availability it is masked by: the Mask-Input-Output
/// baseline of AGILE (Jain et al., 2021, appendix Fig. B.10a).
/// </summary>
/// <remarks>
/// The action space (an <see cref="ActionSet"/> or an <see cref="ActionList"/>, whose <see cref="ActionList.Items"/>
/// are read) is forwarded unchanged, and its availability is read after every Reset and Step, so it is the
/// availability the next action is chosen under. The observation space becomes a one-dimensional Box of the inner
/// size plus <c>Items.Count</c>: the inner bounds followed by [0, 1] per action.
/// </remarks>
public sealed class AvailabilityObservation : Wrapper
{
    private readonly ActionSet _items;
    private readonly float[] _observation;
    private readonly int _innerSize;

    /// <summary>Wraps <paramref name="env"/>, whose observation space must be a Box and action space an ActionSet or ActionList.</summary>
    /// <exception cref="ArgumentException">If the observation space is not a Box, or the action space is neither an ActionSet nor an ActionList.</exception>
    public AvailabilityObservation(IEnvironment env) : base(env)
    {
        _items = env.ActionSpace switch
        {
            ActionSet set => set,
            ActionList list => list.Items,
            _ => throw new ArgumentException(
                $"AvailabilityObservation: {env.Id} has action space {env.ActionSpace.Description}; an ActionSet or ActionList is needed (other spaces have no availability to append).",
                nameof(env)),
        };
        var inner = env.ObservationSpace as Box
            ?? throw new ArgumentException($"AvailabilityObservation: {env.Id} has observation space {env.ObservationSpace.Description}; a Box is needed.", nameof(env));
        _innerSize = inner.FlatSize;
        int size = _innerSize + _items.Count;
        var low = new float[size];
        var high = new float[size];
        inner.Low.CopyTo(low);
        inner.High.CopyTo(high);
        high.AsSpan(_innerSize).Fill(1f);
        ObservationSpace = new Box(low, high, [size]);
        _observation = new float[size];
    }

    /// <inheritdoc/>
    public override Space ObservationSpace { get; }

    /// <inheritdoc/>
    public override ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        var result = Inner.Reset(seed, options);
        return new ResetResult(Append(result.Observation), result.Info);
    }

    /// <inheritdoc/>
    public override StepResult Step(int action) => Wrap(Inner.Step(action));

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<float> action) => Wrap(Inner.Step(action));

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<int> action) => Wrap(Inner.Step(action));

    private StepResult Wrap(StepResult r) => new(Append(r.Observation), r.Reward, r.Terminated, r.Truncated, r.Info);

    private ReadOnlySpan<float> Append(ReadOnlySpan<float> observation)
    {
        if (observation.Length != _innerSize)
            throw new InvalidOperationException($"{Id}: AvailabilityObservation expected {_innerSize} observation values, got {observation.Length}.");
        observation.CopyTo(_observation);
        var available = _items.Available;
        var tail = _observation.AsSpan(_innerSize);
        for (int i = 0; i < tail.Length; i++) tail[i] = available[i] ? 1f : 0f;
        return _observation;
    }
}
