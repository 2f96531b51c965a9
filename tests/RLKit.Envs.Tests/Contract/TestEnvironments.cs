using RLKit.Environments;
using RLKit.Spaces;

namespace RLKit.Envs.Tests.Contract;

/// <summary>
/// Observation [steps so far, resets so far]; reward = steps so far + 100 × action; terminates after
/// <c>terminateAfter</c> steps. Reset info is {"phase": "reset"}, the terminal step's info {"phase": "final"}.
/// </summary>
internal sealed class CounterEnv(int terminateAfter = int.MaxValue, string id = "Counter-v0")
    : EnvironmentBase(new Box(0, 1e6f, 2), new Discrete(2))
{
    public static readonly IReadOnlyDictionary<string, object> ResetInfo = new Dictionary<string, object> { ["phase"] = "reset" };
    public static readonly IReadOnlyDictionary<string, object> FinalInfo = new Dictionary<string, object> { ["phase"] = "final" };

    private int _steps, _resets;

    public override string Id => id;

    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        _steps = 0;
        _resets++;
        observation[0] = 0;
        observation[1] = _resets;
        return ResetInfo;
    }

    protected override Transition StepCore(int action, Span<float> observation)
    {
        _steps++;
        observation[0] = _steps;
        observation[1] = _resets;
        bool terminated = _steps >= terminateAfter;
        return new Transition(_steps + 100 * action, terminated, false, terminated ? FinalInfo : null);
    }
}

/// <summary>A seeded random walk: noisy observations and rewards, random episode lengths, optional Box actions.</summary>
internal sealed class RandomWalkEnv(bool continuous = false)
    : EnvironmentBase(new Box(-1e6f, 1e6f, 3), continuous ? new Box(-1, 1, 2) : new Discrete(3))
{
    private double _position;

    public override string Id => continuous ? "RandomWalkContinuous-v0" : "RandomWalk-v0";

    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        _position = Random.UniformDouble(-1, 1);
        Write(observation);
        return null;
    }

    protected override Transition StepCore(int action, Span<float> observation) => Move(action - 1, observation);

    protected override Transition StepCore(ReadOnlySpan<float> action, Span<float> observation) => Move(action[0] - 0.5 * action[1], observation);

    private Transition Move(double push, Span<float> observation)
    {
        _position += 0.1 * push + 0.05 * Random.NextNormal();
        Write(observation);
        return new Transition(-Math.Abs(_position) + Random.NextDouble(), Random.NextDouble() < 0.08);
    }

    private void Write(Span<float> observation)
    {
        observation[0] = (float)_position;
        observation[1] = Random.NextSingle();
        observation[2] = (float)(_position * _position);
    }
}

/// <summary>Box action [−2, 2]²; the observation echoes the action the environment received.</summary>
internal sealed class EchoActionEnv() : EnvironmentBase(new Box(-10, 10, 2), new Box(-2, 2, 2))
{
    public override string Id => "EchoAction-v0";

    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        observation.Clear();
        return null;
    }

    protected override Transition StepCore(ReadOnlySpan<float> action, Span<float> observation)
    {
        action.CopyTo(observation);
        return new Transition(0, false);
    }
}

/// <summary>Replays scripted observations (first one at reset) and rewards; ends after the last reward, terminated.</summary>
internal sealed class ScriptedEnv(float[][] observations, double[] rewards, int observationSize)
    : EnvironmentBase(new Box(-1e6f, 1e6f, observationSize), new Discrete(1))
{
    private int _t;

    public override string Id => "Scripted-v0";

    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        _t = 0;
        observations[0].CopyTo(observation);
        return null;
    }

    protected override Transition StepCore(int action, Span<float> observation)
    {
        _t++;
        observations[Math.Min(_t, observations.Length - 1)].CopyTo(observation);
        return new Transition(rewards[_t - 1], _t == rewards.Length);
    }
}

/// <summary>Four actions with 1-D representations; each reset makes one random action unavailable and observes its id.</summary>
internal sealed class RotatingActionSetEnv() : EnvironmentBase(new Box(0, 3, 1), new ActionSet(4, 1, [0f, 1f, 2f, 3f]))
{
    private int _unavailable;

    public override string Id => "RotatingActionSet-v0";

    private ActionSet Actions => (ActionSet)ActionSpace;

    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        _unavailable = Random.NextInt(4);
        Actions.Available.Fill(true);
        Actions.Available[_unavailable] = false;
        observation[0] = _unavailable;
        return null;
    }

    protected override Transition StepCore(int action, Span<float> observation)
    {
        observation[0] = _unavailable;
        return new Transition(action, true);
    }
}

/// <summary>
/// Lists of <c>length</c> (default 2) distinct actions from 5 (1-D representations 0 … 4); each reset makes one random
/// action unavailable. Observation [unavailable id, last list's first id, last list's second id or −1]; reward =
/// 10 × first + second (0 for a list of one); episodes last 2 steps. <see cref="Lists"/> records every list the
/// environment received.
/// </summary>
internal sealed class RotatingActionListEnv(int length = 2)
    : EnvironmentBase(new Box(-1, 4, 3), new ActionList(new ActionSet(5, 1, [0f, 1f, 2f, 3f, 4f]), length))
{
    private int _unavailable, _t;

    public override string Id => "RotatingActionList-v0";

    public List<int[]> Lists { get; } = [];

    private ActionSet Actions => ((ActionList)ActionSpace).Items;

    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        _unavailable = Random.NextInt(5);
        _t = 0;
        Actions.Available.Fill(true);
        Actions.Available[_unavailable] = false;
        observation[0] = _unavailable;
        observation[1] = observation[2] = -1;
        return null;
    }

    protected override Transition StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        Lists.Add(action.ToArray());
        _t++;
        observation[0] = _unavailable;
        observation[1] = action[0];
        observation[2] = action.Length > 1 ? action[1] : -1;
        return new Transition(10 * action[0] + (action.Length > 1 ? action[1] : 0), _t == 2);
    }
}

/// <summary>
/// Like <see cref="RawEnv"/> (written against <see cref="IEnvironment"/> directly, 5-step episodes) but with lists of 2
/// from 3 actions, of which action 2 is unavailable; it accepts any list, however invalid.
/// </summary>
internal sealed class AcceptAnyListEnv : IEnvironment
{
    private readonly float[] _observation = new float[1];
    private int _t;
    private bool _done = true;

    public AcceptAnyListEnv()
    {
        var items = new ActionSet(3, 1, [0f, 1f, 2f]);
        items.Available[2] = false;
        ActionSpace = new ActionList(items, 2);
    }

    public string Id => "AcceptAnyList-v0";
    public Space ObservationSpace { get; } = new Box(0, 10, 1);
    public Space ActionSpace { get; }

    public ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        _t = 0;
        _done = false;
        _observation[0] = 0;
        return new ResetResult(_observation, EnvInfo.Empty);
    }

    public StepResult Step(int action) => throw new NotSupportedException("AcceptAnyList-v0 takes lists.");

    public StepResult Step(ReadOnlySpan<float> action) => throw new NotSupportedException("AcceptAnyList-v0 takes lists.");

    public StepResult Step(ReadOnlySpan<int> action)
    {
        if (_done) throw new InvalidOperationException("AcceptAnyList-v0: reset first.");
        _t++;
        _done = _t >= 5;
        _observation[0] = _t;
        return new StepResult(_observation, 0, _done, false, EnvInfo.Empty);
    }

    public void Dispose() { }
}

/// <summary>
/// An environment written against <see cref="IEnvironment"/> directly (no base-class safety net), each flag breaking
/// one contract rule; with no flags it keeps the contract. Observation in Box(0, 10, [2]); episodes last 5 steps.
/// </summary>
internal sealed class RawEnv : IEnvironment
{
    private static int s_globalCounter;
    private readonly float[] _observation = new float[2];
    private readonly float[] _wrongSize = new float[3];
    private ulong _state;
    private int _t;
    private bool _done = true;

    public bool NonDeterministic { get; init; }
    public bool ObservationOutOfSpace { get; init; }
    public bool WrongObservationSize { get; init; }
    public bool StepsAfterDone { get; init; }
    public bool AcceptsInvalidActions { get; init; }
    public float ObservationValue { get; set; } = 1f;
    public double RewardValue { get; set; } = 1.0;

    public string Id => "Raw-v0";
    public Space ObservationSpace { get; } = new Box(0, 10, 2);
    public Space ActionSpace { get; } = new Discrete(2);

    public ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        if (seed is { } s) _state = s;
        if (NonDeterministic) _state += (ulong)Interlocked.Increment(ref s_globalCounter);
        _t = 0;
        _done = false;
        return new ResetResult(Write(), EnvInfo.Empty);
    }

    public StepResult Step(int action)
    {
        if (_done && !StepsAfterDone) throw new InvalidOperationException("Raw-v0: reset first.");
        if (!AcceptsInvalidActions && (uint)action > 1) throw new ArgumentOutOfRangeException(nameof(action));
        _t++;
        _state = _state * 6364136223846793005UL + 1442695040888963407UL;
        _done = _t >= 5;
        return new StepResult(Write(), RewardValue, _done, false, EnvInfo.Empty);
    }

    public StepResult Step(ReadOnlySpan<float> action) => AcceptsInvalidActions ? Step(0) : throw new NotSupportedException("Raw-v0 is discrete.");

    public StepResult Step(ReadOnlySpan<int> action) => AcceptsInvalidActions ? Step(0) : throw new NotSupportedException("Raw-v0 is discrete.");

    private ReadOnlySpan<float> Write()
    {
        _observation[0] = ObservationOutOfSpace ? 11f : ObservationValue;
        _observation[1] = (_state >> 40) % 10;
        if (!WrongObservationSize) return _observation;
        _observation.CopyTo(_wrongSize, 0);
        return _wrongSize;
    }

    public void Dispose() { }
}

/// <summary>MultiDiscrete(3, 3) actions whose two components must differ (like slate slots); episodes last 4 steps.</summary>
internal sealed class DistinctPairEnv(bool rejectEverything = false)
    : EnvironmentBase(new Box(0, 2, 2), new MultiDiscrete(3, 3))
{
    private int _t;

    public override string Id => "DistinctPair-v0";

    protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
    {
        _t = 0;
        observation.Clear();
        return null;
    }

    protected override Transition StepCore(ReadOnlySpan<int> action, Span<float> observation)
    {
        if (rejectEverything || action[0] == action[1])
            throw new ArgumentException($"{Id}: the two components must differ, got [{action[0]}, {action[1]}].", nameof(action));
        _t++;
        observation[0] = action[0];
        observation[1] = action[1];
        return new Transition(action[0] - action[1], _t == 4);
    }
}
