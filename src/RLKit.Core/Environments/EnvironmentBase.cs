using System.Runtime.CompilerServices;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Environments;

/// <summary>
/// Base class that gives every RLKit environment the same Gymnasium contract: seeding, the order of reset and
/// step, action validation with clear errors, and finite observations and rewards. Subclasses implement
/// <see cref="ResetCore"/> and one of the <c>StepCore</c> overloads matching their action space.
/// </summary>
public abstract class EnvironmentBase : IEnvironment
{
    private readonly float[] _observation;
    private RandomGenerator? _random;
    private bool _needsReset = true;

    /// <summary>Creates an environment with the given spaces.</summary>
    protected EnvironmentBase(Space observationSpace, Space actionSpace)
    {
        ObservationSpace = observationSpace ?? throw new ArgumentNullException(nameof(observationSpace));
        ActionSpace = actionSpace ?? throw new ArgumentNullException(nameof(actionSpace));
        _observation = new float[observationSpace.FlatSize];
    }

    /// <inheritdoc/>
    public abstract string Id { get; }

    /// <inheritdoc/>
    public Space ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; }

    /// <summary>
    /// The environment's random stream (Gymnasium's <c>np_random</c>): restarted by <c>Reset(seed)</c>; seeded from
    /// the clock on the first unseeded reset.
    /// </summary>
    protected RandomGenerator Random => _random ??= new RandomGenerator((ulong)Environment.TickCount64 ^ (ulong)Guid.NewGuid().GetHashCode());

    /// <summary>True before the first reset and after an episode ends.</summary>
    public bool NeedsReset => _needsReset;

    /// <summary>The current observation buffer (what the last Reset/Step returned).</summary>
    protected ReadOnlySpan<float> CurrentObservation => _observation;

    /// <inheritdoc/>
    public ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        if (seed is { } s) _random = new RandomGenerator(s);
        var info = ResetCore(_observation, options) ?? EnvInfo.Empty;
        CheckObservation("Reset");
        _needsReset = false;
        return new ResetResult(_observation, info);
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Optimized)]
    public StepResult Step(int action)
    {
        BeforeStep();
        bool valid = ActionSpace switch
        {
            Discrete d => d.Contains(action),
            ActionSet set => set.Contains(action),
            _ => throw WrongOverload("an int action"),
        };
        if (!valid)
            throw new ArgumentOutOfRangeException(nameof(action), action, $"{Id}: action {action} is not in the action space {ActionSpace.Description}.");
        return Finish(StepCore(action, _observation));
    }

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<float> action)
    {
        BeforeStep();
        if (ActionSpace is not Box box) throw WrongOverload("a float-vector action");
        if (action.Length != box.Low.Length)
            throw new ArgumentException($"{Id}: a {box.Description} action needs {box.Low.Length} values, got {action.Length}.", nameof(action));
        for (int i = 0; i < action.Length; i++)
            if (!float.IsFinite(action[i]))
                throw new ArgumentException($"{Id}: action[{i}] is {action[i]}; actions must be finite.", nameof(action));
        if (!box.Contains(action) && RejectsOutOfBoundsActions)
            throw new ArgumentOutOfRangeException(nameof(action), $"{Id}: action [{string.Join(", ", action.ToArray())}] is outside {box.Description}.");
        return Finish(StepCore(action, _observation));
    }

    /// <inheritdoc/>
    public StepResult Step(ReadOnlySpan<int> action)
    {
        BeforeStep();
        switch (ActionSpace)
        {
            case MultiDiscrete md:
                if (!md.Contains(action))
                    throw new ArgumentOutOfRangeException(nameof(action), $"{Id}: action [{string.Join(", ", action.ToArray())}] is not in {md.Description}.");
                break;
            case ActionList list:
                if (!list.Contains(action)) throw ListActionRejected(list, action);
                break;
            default:
                throw WrongOverload("a multi-discrete or action-list action");
        }
        return Finish(StepCore(action, _observation));
    }

    /// <summary>Why <paramref name="action"/> is not in <paramref name="list"/>: the wrong length, or the first unavailable or repeated id.</summary>
    private ArgumentException ListActionRejected(ActionList list, ReadOnlySpan<int> action)
    {
        string shown = $"[{string.Join(", ", action.ToArray())}]";
        if (action.Length != list.Length)
            return new ArgumentException($"{Id}: an action of {list.Description} is {list.Length} distinct ids, got {action.Length} ({shown}).", nameof(action));
        for (int i = 0; i < action.Length; i++)
        {
            int id = action[i];
            if ((uint)id >= (uint)list.Items.Count)
                return new ArgumentOutOfRangeException(nameof(action), $"{Id}: action {shown}: id {id} at position {i} is outside [0, {list.Items.Count - 1}] (the action universe of {list.Description}).");
            if (!list.Items.Contains(id))
                return new ArgumentOutOfRangeException(nameof(action), $"{Id}: action {shown}: id {id} at position {i} is not available now ({list.Description}).");
            int first = action[..i].IndexOf(id);
            if (first >= 0)
                return new ArgumentOutOfRangeException(nameof(action), $"{Id}: action {shown}: id {id} appears at positions {first} and {i}; a list's ids must be distinct ({list.Description}).");
        }
        // Contains rejected the action for a reason checked above; kept so the compiler sees every path return.
        return new ArgumentOutOfRangeException(nameof(action), $"{Id}: action {shown} is not in {list.Description}.");
    }

    /// <summary>
    /// Whether a Box action outside the bounds is an error (true) or passed on to the dynamics (false, for
    /// environments that clip, like Pendulum). Default: false, as in Gymnasium, where most envs clip.
    /// </summary>
    protected virtual bool RejectsOutOfBoundsActions => false;

    /// <summary>Starts an episode: writes the first observation; may return info (or null for none).</summary>
    protected abstract IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options);

    /// <summary>One step with a validated discrete action. Override for Discrete and ActionSet spaces.</summary>
    protected virtual Transition StepCore(int action, Span<float> observation) => throw WrongOverload("an int action");

    /// <summary>One step with a validated, finite Box action. Override for Box spaces.</summary>
    protected virtual Transition StepCore(ReadOnlySpan<float> action, Span<float> observation) => throw WrongOverload("a float-vector action");

    /// <summary>
    /// One step with a validated multi-discrete action, or a validated action list (<see cref="ActionList.Length"/>
    /// distinct available ids). Override for MultiDiscrete and ActionList spaces.
    /// </summary>
    protected virtual Transition StepCore(ReadOnlySpan<int> action, Span<float> observation) => throw WrongOverload("a multi-discrete action");

    /// <summary>What a step produced besides the observation.</summary>
    protected readonly record struct Transition(double Reward, bool Terminated, bool Truncated = false, IReadOnlyDictionary<string, object>? Info = null);

    private void BeforeStep()
    {
        if (_needsReset)
            throw new InvalidOperationException($"{Id}: Step was called before Reset or after the episode ended (terminated or truncated). Call Reset first.");
    }

    private StepResult Finish(Transition t)
    {
        CheckObservation("Step");
        if (!double.IsFinite(t.Reward))
            throw new InvalidOperationException($"{Id}: Step produced a non-finite reward ({t.Reward}).");
        if (t.Terminated || t.Truncated) _needsReset = true;
        return new StepResult(_observation, t.Reward, t.Terminated, t.Truncated, t.Info ?? EnvInfo.Empty);
    }

    private void CheckObservation(string phase)
    {
        for (int i = 0; i < _observation.Length; i++)
            if (!float.IsFinite(_observation[i]))
                throw new InvalidOperationException($"{Id}: {phase} produced a non-finite observation ({_observation[i]} at index {i}).");
    }

    private NotSupportedException WrongOverload(string what) =>
        new($"{Id}: its action space is {ActionSpace.Description}, which does not take {what}. Use Step(int) for Discrete/ActionSet, Step(ReadOnlySpan<float>) for Box, Step(ReadOnlySpan<int>) for MultiDiscrete/ActionList.");

    /// <summary>Releases resources; most environments hold none.</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}
