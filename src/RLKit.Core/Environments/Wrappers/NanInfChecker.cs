namespace RLKit.Environments.Wrappers;

/// <summary>
/// Fails fast on NaN or ±∞ (Gymnasium's <c>PassiveEnvChecker</c> / SB3's <c>VecCheckNan</c>): a non-finite action
/// throws <see cref="ArgumentException"/> before it reaches the environment; a non-finite observation or reward
/// throws <see cref="InvalidOperationException"/>. Messages name the environment, what was non-finite and where.
/// </summary>
/// <remarks>
/// Environments built on <see cref="EnvironmentBase"/> already check their own outputs; this wrapper is for
/// environments that do not, and to catch a policy's NaN actions at their source.
/// </remarks>
public sealed class NanInfChecker : Wrapper
{
    /// <summary>Wraps <paramref name="env"/>.</summary>
    public NanInfChecker(IEnvironment env) : base(env) { }

    /// <inheritdoc/>
    public override ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        var result = Inner.Reset(seed, options);
        CheckObservation(result.Observation, "Reset");
        return result;
    }

    /// <inheritdoc/>
    public override StepResult Step(int action) => Check(Inner.Step(action));

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<float> action)
    {
        for (int i = 0; i < action.Length; i++)
            if (!float.IsFinite(action[i]))
                throw new ArgumentException($"{Id}: the action has a non-finite value ({action[i]} at index {i}).", nameof(action));
        return Check(Inner.Step(action));
    }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<int> action) => Check(Inner.Step(action));

    private StepResult Check(StepResult result)
    {
        CheckObservation(result.Observation, "Step");
        if (!double.IsFinite(result.Reward))
            throw new InvalidOperationException($"{Id}: Step returned a non-finite reward ({result.Reward}).");
        return result;
    }

    private void CheckObservation(ReadOnlySpan<float> observation, string phase)
    {
        for (int i = 0; i < observation.Length; i++)
            if (!float.IsFinite(observation[i]))
                throw new InvalidOperationException($"{Id}: {phase} returned a non-finite observation ({observation[i]} at index {i}).");
    }
}
