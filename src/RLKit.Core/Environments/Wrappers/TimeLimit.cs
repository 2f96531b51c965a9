namespace RLKit.Environments.Wrappers;

/// <summary>
/// Ends an episode with <c>truncated = true</c> after <see cref="MaxEpisodeSteps"/> steps (Gymnasium's
/// <c>TimeLimit</c>). It never sets terminated; if the environment terminates on the last allowed step, the step
/// reports both flags, so learners still treat it as terminal. It adds nothing to info.
/// </summary>
/// <remarks>
/// Unlike Gymnasium, stepping after the limit throws until the next Reset, even though the inner environment
/// itself has not ended: the episode is over for everyone above this wrapper.
/// </remarks>
public sealed class TimeLimit : Wrapper
{
    private int _elapsed;
    private bool _needsReset = true;

    /// <summary>Limits episodes of <paramref name="env"/> to <paramref name="maxEpisodeSteps"/> steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="maxEpisodeSteps"/> is less than 1.</exception>
    public TimeLimit(IEnvironment env, int maxEpisodeSteps) : base(env)
    {
        if (maxEpisodeSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, "TimeLimit: maxEpisodeSteps must be at least 1.");
        MaxEpisodeSteps = maxEpisodeSteps;
    }

    /// <summary>The number of steps after which an episode is truncated.</summary>
    public int MaxEpisodeSteps { get; }

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps => _elapsed;

    /// <inheritdoc/>
    public override ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        var result = Inner.Reset(seed, options);
        _elapsed = 0;
        _needsReset = false;
        return result;
    }

    /// <inheritdoc/>
    public override StepResult Step(int action)
    {
        BeforeStep();
        return Limit(Inner.Step(action));
    }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<float> action)
    {
        BeforeStep();
        return Limit(Inner.Step(action));
    }

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<int> action)
    {
        BeforeStep();
        return Limit(Inner.Step(action));
    }

    private void BeforeStep()
    {
        if (_needsReset)
            throw new InvalidOperationException($"{Id}: Step was called before Reset or after the episode ended (terminated or truncated at {MaxEpisodeSteps} steps). Call Reset first.");
    }

    private StepResult Limit(StepResult result)
    {
        _elapsed++;
        bool truncated = result.Truncated || _elapsed >= MaxEpisodeSteps;
        if (result.Terminated || truncated) _needsReset = true;
        return truncated == result.Truncated
            ? result
            : new StepResult(result.Observation, result.Reward, result.Terminated, truncated, result.Info);
    }
}
