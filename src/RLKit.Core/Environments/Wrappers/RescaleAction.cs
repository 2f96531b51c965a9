using RLKit.Spaces;

namespace RLKit.Environments.Wrappers;

/// <summary>
/// Exposes a Box action space [minAction, maxAction] and maps actions affinely onto the inner, bounded Box
/// (Gymnasium's <c>RescaleAction</c>), e.g. so a tanh policy acting in [−1, 1] drives any bounded env. Mapped
/// actions are clipped to the inner bounds to absorb rounding.
/// </summary>
public sealed class RescaleAction : Wrapper
{
    private readonly Box _innerSpace;
    private readonly float[] _min, _max, _action;

    /// <summary>Rescales every action dimension from [<paramref name="minAction"/>, <paramref name="maxAction"/>].</summary>
    /// <exception cref="ArgumentException">If the action space is not a bounded Box or minAction ≥ maxAction.</exception>
    public RescaleAction(IEnvironment env, float minAction, float maxAction)
        : this(env, Filled(env, minAction), Filled(env, maxAction)) { }

    /// <summary>Rescales each dimension i from [<paramref name="minAction"/>[i], <paramref name="maxAction"/>[i]].</summary>
    /// <exception cref="ArgumentException">If the action space is not a bounded Box, the bounds have the wrong length, or a minimum is not below its maximum.</exception>
    public RescaleAction(IEnvironment env, float[] minAction, float[] maxAction) : base(env)
    {
        ArgumentNullException.ThrowIfNull(minAction);
        ArgumentNullException.ThrowIfNull(maxAction);
        _innerSpace = env.ActionSpace as Box
            ?? throw new ArgumentException($"RescaleAction: {env.Id} has action space {env.ActionSpace.Description}; a Box is needed.", nameof(env));
        if (!_innerSpace.IsBounded)
            throw new ArgumentException($"RescaleAction: {env.Id} has an unbounded action space {_innerSpace.Description}; its bounds must be finite.", nameof(env));
        int size = _innerSpace.FlatSize;
        if (minAction.Length != size || maxAction.Length != size)
            throw new ArgumentException($"RescaleAction: {env.Id} needs {size} bounds, got min {minAction.Length} and max {maxAction.Length}.", nameof(minAction));
        for (int i = 0; i < size; i++)
            if (!(float.IsFinite(minAction[i]) && float.IsFinite(maxAction[i]) && minAction[i] < maxAction[i]))
                throw new ArgumentOutOfRangeException(nameof(minAction), $"RescaleAction: bound {i} is [{minAction[i]}, {maxAction[i]}]; both must be finite with min < max.");
        _min = (float[])minAction.Clone();
        _max = (float[])maxAction.Clone();
        _action = new float[size];
        ActionSpace = new Box(_min, _max, _innerSpace.Shape);
    }

    /// <inheritdoc/>
    public override Space ActionSpace { get; }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<float> action)
    {
        if (action.Length != _action.Length)
            throw new ArgumentException($"{Id}: a {ActionSpace.Description} action needs {_action.Length} values, got {action.Length}.", nameof(action));
        var low = _innerSpace.Low;
        var high = _innerSpace.High;
        for (int i = 0; i < _action.Length; i++)
        {
            double fraction = ((double)action[i] - _min[i]) / ((double)_max[i] - _min[i]);
            _action[i] = (float)(low[i] + (high[i] - (double)low[i]) * fraction);
        }
        _innerSpace.Clip(_action);
        return Inner.Step(_action);
    }

    private static float[] Filled(IEnvironment env, float value)
    {
        ArgumentNullException.ThrowIfNull(env);
        var values = new float[env.ActionSpace.FlatSize];
        values.AsSpan().Fill(value);
        return values;
    }
}
