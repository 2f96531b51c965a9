namespace RLKit.Distributed;

/// <summary>How patiently the learner side retries a worker that does not answer (its silo died, a connection dropped).</summary>
public sealed record DistributedOptions
{
    /// <summary>Attempts per command before the step fails (default 60), at least 1.</summary>
    public int MaxAttempts { get; init; } = 60;

    /// <summary>
    /// Pause before the second attempt (default 100 ms); it doubles up to <see cref="MaxRetryDelay"/>. The cluster needs
    /// a few seconds to declare a killed silo dead before a worker can be re-activated elsewhere.
    /// </summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest pause between attempts (default 2 s).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    internal void Validate()
    {
        if (MaxAttempts < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "DistributedOptions.MaxAttempts must be at least 1.");
        if (RetryDelay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "DistributedOptions.RetryDelay must be zero or positive.");
        if (MaxRetryDelay < RetryDelay)
            throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), MaxRetryDelay, $"DistributedOptions.MaxRetryDelay must be at least RetryDelay ({RetryDelay}).");
    }

    internal TimeSpan Delay(int attempt)
    {
        double ms = RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20));
        return TimeSpan.FromMilliseconds(Math.Min(ms, MaxRetryDelay.TotalMilliseconds));
    }
}
