namespace RLKit.Training;

/// <summary>
/// When training stops: after a number of environment steps or episodes (in all, or on every task of a task set), after
/// a wall-clock time, or early once the recent mean return reaches a threshold; whichever comes first. At least one of
/// steps, episodes, episodes per task or time is required.
/// </summary>
public sealed record Budget
{
    private Budget() { }

    /// <summary>Maximum environment steps (summed over vector sub-environments), or null for no step limit.</summary>
    public long? MaxSteps { get; private init; }

    /// <summary>Maximum completed episodes, or null for no episode limit.</summary>
    public long? MaxEpisodes { get; private init; }

    /// <summary>
    /// Stop once every task has completed this many episodes (the multi-task loop "while some task has fewer than N
    /// episodes", e.g. Distral's), or null. A plain environment is one task.
    /// </summary>
    public long? EpisodesPerTaskLimit { get; private init; }

    /// <summary>Maximum wall-clock training time, or null for no time limit.</summary>
    public TimeSpan? MaxTime { get; private init; }

    /// <summary>Stop early once the mean return of the last <see cref="ThresholdWindow"/> episodes reaches this value.</summary>
    public double? RewardThreshold { get; private init; }

    /// <summary>How many recent episodes the reward threshold averages over (default 100, as in Gym's "solved").</summary>
    public int ThresholdWindow { get; private init; } = 100;

    /// <summary>A budget of <paramref name="steps"/> environment steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If steps is not positive.</exception>
    public static Budget Steps(long steps) =>
        steps > 0 ? new Budget { MaxSteps = steps } : throw new ArgumentOutOfRangeException(nameof(steps), steps, "Budget.Steps: steps must be at least 1.");

    /// <summary>A budget of <paramref name="episodes"/> completed episodes.</summary>
    public static Budget Episodes(long episodes) =>
        episodes > 0 ? new Budget { MaxEpisodes = episodes } : throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "Budget.Episodes: episodes must be at least 1.");

    /// <summary>A budget that ends once every task of the fitted task set has completed <paramref name="episodes"/> episodes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If episodes is not positive.</exception>
    public static Budget EpisodesPerTask(long episodes) =>
        episodes > 0 ? new Budget { EpisodesPerTaskLimit = episodes } : throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "Budget.EpisodesPerTask: episodes must be at least 1.");

    /// <summary>A wall-clock budget.</summary>
    public static Budget Time(TimeSpan time) =>
        time > TimeSpan.Zero ? new Budget { MaxTime = time } : throw new ArgumentOutOfRangeException(nameof(time), time, "Budget.Time: time must be positive.");

    /// <summary>Also stop after <paramref name="steps"/> steps.</summary>
    public Budget AndSteps(long steps) => this with { MaxSteps = Steps(steps).MaxSteps };

    /// <summary>Also stop after <paramref name="episodes"/> episodes.</summary>
    public Budget AndEpisodes(long episodes) => this with { MaxEpisodes = Episodes(episodes).MaxEpisodes };

    /// <summary>Also stop once every task has completed <paramref name="episodes"/> episodes.</summary>
    public Budget AndEpisodesPerTask(long episodes) => this with { EpisodesPerTaskLimit = EpisodesPerTask(episodes).EpisodesPerTaskLimit };

    /// <summary>Also stop after <paramref name="time"/>.</summary>
    public Budget AndTime(TimeSpan time) => this with { MaxTime = Time(time).MaxTime };

    /// <summary>Also stop once the mean return over the last <paramref name="window"/> episodes reaches <paramref name="threshold"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the threshold is not finite or the window is not positive.</exception>
    public Budget UntilMeanReturn(double threshold, int window = 100)
    {
        if (!double.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "Budget: the reward threshold must be finite.");
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "Budget: the threshold window must be at least 1 episode.");
        return this with { RewardThreshold = threshold, ThresholdWindow = window };
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var parts = new List<string>();
        if (MaxSteps is { } s) parts.Add($"{s} steps");
        if (MaxEpisodes is { } e) parts.Add($"{e} episodes");
        if (EpisodesPerTaskLimit is { } perTask) parts.Add($"{perTask} episodes on every task");
        if (MaxTime is { } t) parts.Add($"{t.TotalSeconds:0.#} s");
        if (RewardThreshold is { } r) parts.Add($"mean return ≥ {r} over {ThresholdWindow} episodes");
        return string.Join(", ", parts);
    }
}
