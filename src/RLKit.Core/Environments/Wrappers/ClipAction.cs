using RLKit.Spaces;

namespace RLKit.Environments.Wrappers;

/// <summary>
/// Clips Box actions into the inner action space before stepping (Gymnasium's <c>ClipAction</c>), so a policy may
/// output any finite value. The exposed action space is unbounded, with the inner shape.
/// </summary>
public sealed class ClipAction : Wrapper
{
    private readonly Box _innerSpace;
    private readonly float[] _action;

    /// <summary>Wraps <paramref name="env"/>, whose action space must be a <see cref="Box"/>.</summary>
    /// <exception cref="ArgumentException">If the action space is not a Box.</exception>
    public ClipAction(IEnvironment env) : base(env)
    {
        _innerSpace = env.ActionSpace as Box
            ?? throw new ArgumentException($"ClipAction: {env.Id} has action space {env.ActionSpace.Description}; a Box is needed.", nameof(env));
        _action = new float[_innerSpace.FlatSize];
        ActionSpace = new Box(float.NegativeInfinity, float.PositiveInfinity, _innerSpace.Shape);
    }

    /// <inheritdoc/>
    public override Space ActionSpace { get; }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<float> action)
    {
        if (action.Length != _action.Length)
            throw new ArgumentException($"{Id}: a {_innerSpace.Description} action needs {_action.Length} values, got {action.Length}.", nameof(action));
        action.CopyTo(_action);
        _innerSpace.Clip(_action);
        return Inner.Step(_action);
    }
}
