using System.Globalization;
using System.Runtime.CompilerServices;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Environments.Vector;

/// <summary>
/// The state and per-sub-environment logic shared by the sync and parallel vector environments. The caller thread
/// validates and copies the batch's actions (<c>Prepare…</c>); then <see cref="Run"/> executes the pending
/// operation for a range of sub-environments. Ranges write disjoint rows, so running them on any threads gives the
/// same numbers as running them in order.
/// </summary>
internal sealed class VectorEnvironmentCore
{
    private enum Operation { None, Reset, StepInt, StepFloat }

    private readonly IEnvironment[] _envs;
    private readonly float[] _observations;
    private readonly float[] _nextObservations;
    private readonly float[] _rewards;
    private readonly bool[] _terminated, _truncated, _pendingReset;
    private readonly IReadOnlyDictionary<string, object>[] _infos;
    private readonly IReadOnlyDictionary<string, object>[]? _finalInfos;
    private readonly bool[] _actionMasks;
    private readonly int[] _intActions;
    private readonly float[] _floatActions;
    private readonly int _observationSize, _intActionWidth, _floatActionWidth, _maskWidth;
    // Discrete and ActionSet actions step with Step(int); MultiDiscrete and ActionList (even of width 1) with a span.
    private readonly bool _intActionIsScalar;
    private Operation _operation;
    private ulong? _seed;
    private bool _started;

    public VectorEnvironmentCore(IReadOnlyList<IEnvironment> envs, AutoresetMode mode, string owner)
    {
        ArgumentNullException.ThrowIfNull(envs);
        if (envs.Count == 0) throw new ArgumentException($"{owner}: at least one environment is needed.", nameof(envs));
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, $"{owner}: unknown autoreset mode.");
        _envs = new IEnvironment[envs.Count];
        for (int i = 0; i < envs.Count; i++)
        {
            _envs[i] = envs[i] ?? throw new ArgumentException($"{owner}: environment {i} is null.", nameof(envs));
            for (int j = 0; j < i; j++)
                if (ReferenceEquals(_envs[j], _envs[i]))
                    throw new ArgumentException($"{owner}: environments {j} and {i} are the same instance; each sub-environment needs its own.", nameof(envs));
        }
        var first = _envs[0];
        SingleObservationSpace = first.ObservationSpace;
        SingleActionSpace = first.ActionSpace;
        for (int i = 1; i < _envs.Length; i++)
        {
            if (!SpaceCompatibility.Same(SingleObservationSpace, _envs[i].ObservationSpace))
                throw new ArgumentException($"{owner}: environment {i} ({_envs[i].Id}) has observation space {_envs[i].ObservationSpace.Description}, but environment 0 ({first.Id}) has {SingleObservationSpace.Description}.", nameof(envs));
            if (!SpaceCompatibility.Same(SingleActionSpace, _envs[i].ActionSpace))
                throw new ArgumentException($"{owner}: environment {i} ({_envs[i].Id}) has action space {_envs[i].ActionSpace.Description}, but environment 0 ({first.Id}) has {SingleActionSpace.Description}.", nameof(envs));
        }

        int n = _envs.Length;
        Mode = mode;
        Owner = owner;
        _observationSize = SingleObservationSpace.FlatSize;
        int[] shape = [n, .. SingleObservationSpace.Shape];
        Observations = Tensor.AllocatePersistent(shape);
        _observations = Observations.Data;
        // Under SameStep a finished row of Observations already holds the reset observation, so s′ needs its own rows;
        // under NextStep the observation after a step is always s′.
        NextObservations = mode == AutoresetMode.SameStep ? Tensor.AllocatePersistent(shape) : Observations;
        _nextObservations = NextObservations.Data;
        if (mode == AutoresetMode.SameStep)
        {
            _finalInfos = new IReadOnlyDictionary<string, object>[n];
            _finalInfos.AsSpan().Fill(EnvInfo.Empty);
        }
        _rewards = new float[n];
        _terminated = new bool[n];
        _truncated = new bool[n];
        _pendingReset = new bool[n];
        _infos = new IReadOnlyDictionary<string, object>[n];
        _infos.AsSpan().Fill(EnvInfo.Empty);
        (_intActionWidth, _floatActionWidth) = SingleActionSpace switch
        {
            Discrete or ActionSet => (1, 0),
            MultiDiscrete md => (md.FlatSize, 0),
            ActionList list => (list.Length, 0),
            Box box => (0, box.FlatSize),
            _ => (0, 0),
        };
        _intActionIsScalar = SingleActionSpace is Discrete or ActionSet;
        _intActions = new int[n * _intActionWidth];
        _floatActions = new float[n * _floatActionWidth];
        _maskWidth = ActionUniverse(SingleActionSpace)?.Count ?? 0;
        _actionMasks = new bool[n * _maskWidth];
    }

    public string Owner { get; }

    public int Count => _envs.Length;

    public IReadOnlyList<IEnvironment> Environments => _envs;

    public Space SingleObservationSpace { get; }

    public Space SingleActionSpace { get; }

    public AutoresetMode Mode { get; }

    public Tensor Observations { get; }

    public Tensor NextObservations { get; }

    public ReadOnlySpan<bool> ActionMasks => _actionMasks;

    public VectorResetResult ResetResult() => new(Observations, _infos, _actionMasks);

    public VectorStepResult StepResult() =>
        new(Observations, _rewards, _terminated, _truncated, _infos, NextObservations, _finalInfos, _actionMasks);

    public void PrepareReset(ulong? seed)
    {
        _seed = seed;
        _operation = Operation.Reset;
    }

    [MethodImpl(HotPath.Optimized)]
    public void PrepareStep(ReadOnlySpan<int> actions)
    {
        CheckStarted();
        if (_intActionWidth == 0)
            throw new NotSupportedException($"{Owner}: the action space {SingleActionSpace.Description} does not take int actions; use Step(ReadOnlySpan<float>) for Box actions.");
        if (actions.Length != _intActions.Length)
            throw new ArgumentException($"{Owner}: {Count} sub-environments with action space {SingleActionSpace.Description} need {_intActions.Length} int actions, got {actions.Length}.", nameof(actions));
        actions.CopyTo(_intActions);
        _operation = Operation.StepInt;
    }

    public void PrepareStep(ReadOnlySpan<float> actions)
    {
        CheckStarted();
        if (_floatActionWidth == 0)
            throw new NotSupportedException($"{Owner}: the action space {SingleActionSpace.Description} does not take float actions; use Step(ReadOnlySpan<int>) for Discrete, ActionSet, ActionList and MultiDiscrete actions.");
        if (actions.Length != _floatActions.Length)
            throw new ArgumentException($"{Owner}: {Count} sub-environments with action space {SingleActionSpace.Description} need {Count} × {_floatActionWidth} = {_floatActions.Length} values, got {actions.Length}.", nameof(actions));
        actions.CopyTo(_floatActions);
        _operation = Operation.StepFloat;
    }

    /// <summary>Whether a Reset has succeeded and no step has failed since.</summary>
    public bool Started => _started;

    /// <summary>Marks the batch complete, or, after a failure, forces a Reset because sub-environments may disagree.</summary>
    public void Complete(bool succeeded)
    {
        if (_operation == Operation.Reset && succeeded) _started = true;
        else if (!succeeded) _started = false;
        _operation = Operation.None;
    }

    public void Run(int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            switch (_operation)
            {
                case Operation.Reset:
                    ResetOne(i, _seed is { } s ? unchecked(s + (ulong)i) : null);
                    break;
                case Operation.StepInt:
                case Operation.StepFloat:
                    StepOne(i);
                    break;
            }
        }
    }

    [MethodImpl(HotPath.Optimized)]
    private void StepOne(int i)
    {
        if (_pendingReset[i])
        {
            // NextStep autoreset: this step only restarts the finished episode; the action is ignored.
            ResetOne(i, null);
            return;
        }
        var env = _envs[i];
        StepResult result;
        try
        {
            result = _operation == Operation.StepFloat
                ? env.Step(new ReadOnlySpan<float>(_floatActions, i * _floatActionWidth, _floatActionWidth))
                : _intActionIsScalar ? env.Step(_intActions[i]) : env.Step(new ReadOnlySpan<int>(_intActions, i * _intActionWidth, _intActionWidth));
        }
        catch (ArgumentException e)
        {
            throw ActionRejected(i, e);
        }
        _rewards[i] = (float)result.Reward;
        _terminated[i] = result.Terminated;
        _truncated[i] = result.Truncated;
        if (!result.Done)
        {
            CopyObservation(result.Observation, _observations, i);
            _infos[i] = result.Info;
            if (Mode == AutoresetMode.SameStep)
            {
                CopyObservation(result.Observation, _nextObservations, i);
                _finalInfos![i] = EnvInfo.Empty;
            }
        }
        else if (Mode == AutoresetMode.NextStep)
        {
            CopyObservation(result.Observation, _observations, i);
            _infos[i] = result.Info;
            _pendingReset[i] = true;
        }
        else
        {
            CopyObservation(result.Observation, _nextObservations, i);
            _finalInfos![i] = result.Info;
            var reset = env.Reset();
            CopyObservation(reset.Observation, _observations, i);
            _infos[i] = reset.Info;
        }
        CopyMask(i);
    }

    /// <summary>
    /// The error of sub-environment <paramref name="i"/> rejecting its action, naming the sub-environment and the action
    /// (the environment's own message names only its id); same exception type, the original as the inner exception.
    /// </summary>
    private ArgumentException ActionRejected(int i, ArgumentException e)
    {
        string action = _operation == Operation.StepFloat
            ? Describe(_floatActions.AsSpan(i * _floatActionWidth, _floatActionWidth))
            : Describe(_intActions.AsSpan(i * _intActionWidth, _intActionWidth));
        string message = $"{Owner}: sub-environment {i} ({_envs[i].Id}) rejected its action {action}: {e.Message}";
        return e is ArgumentOutOfRangeException ? new ArgumentOutOfRangeException(message, e) : new ArgumentException(message, e);
    }

    private static string Describe<T>(ReadOnlySpan<T> action) where T : IFormattable
    {
        var values = new string[action.Length];
        for (int k = 0; k < action.Length; k++) values[k] = action[k].ToString(null, CultureInfo.InvariantCulture);
        return values.Length == 1 ? values[0] : $"[{string.Join(", ", values)}]";
    }

    private void ResetOne(int i, ulong? seed)
    {
        var reset = _envs[i].Reset(seed);
        CopyObservation(reset.Observation, _observations, i);
        _infos[i] = reset.Info;
        _rewards[i] = 0;
        _terminated[i] = false;
        _truncated[i] = false;
        _pendingReset[i] = false;
        if (_finalInfos is not null) _finalInfos[i] = EnvInfo.Empty;
        CopyMask(i);
    }

    [MethodImpl(HotPath.Optimized)]
    private void CopyObservation(ReadOnlySpan<float> observation, float[] destination, int i)
    {
        if (observation.Length != _observationSize)
            throw new InvalidOperationException($"{Owner}: sub-environment {i} ({_envs[i].Id}) returned {observation.Length} observation values; its space {SingleObservationSpace.Description} has {_observationSize}.");
        observation.CopyTo(destination.AsSpan(i * _observationSize, _observationSize));
    }

    private void CopyMask(int i)
    {
        if (_maskWidth == 0) return;
        // Each sub-environment owns its availability; its space was checked compatible with environment 0's at construction.
        var available = ActionUniverse(_envs[i].ActionSpace)!.Available;
        available.CopyTo(_actionMasks.AsSpan(i * _maskWidth, _maskWidth));
    }

    /// <summary>The action set whose availability the masks report: the space itself, or an ActionList's items; null otherwise.</summary>
    private static ActionSet? ActionUniverse(Space space) => space switch
    {
        ActionSet set => set,
        ActionList list => list.Items,
        _ => null,
    };

    private void CheckStarted()
    {
        if (!_started)
            throw new InvalidOperationException($"{Owner}: Step was called before Reset (or after a step failed). Call Reset first.");
    }

    public void DisposeEnvironments()
    {
        foreach (var env in _envs) env.Dispose();
    }
}
