namespace RLKit.Training;

/// <summary>
/// A progress report, emitted by every algorithm after each update (and at the end): counts, speed, recent episode
/// statistics, losses and the learning rate. Reported through <see cref="IProgress{T}"/> and to callbacks.
/// </summary>
/// <param name="Algorithm">The algorithm's short name.</param>
/// <param name="Steps">Environment steps so far (summed over sub-environments).</param>
/// <param name="Episodes">Completed episodes so far.</param>
/// <param name="Updates">Gradient updates (or iterations) so far.</param>
/// <param name="StepsPerSecond">Environment steps per second since training began.</param>
/// <param name="MeanReturn">Mean return of the recent completed episodes (up to 100), or null if none has ended yet.</param>
/// <param name="MeanLength">Mean length of the recent completed episodes, or null.</param>
/// <param name="Losses">The latest loss values by name, e.g. "policy", "value", "entropy".</param>
/// <param name="LearningRate">The current learning rate.</param>
/// <param name="Elapsed">Wall-clock time since training began.</param>
/// <param name="IsFinal">True for the last report of a Fit call.</param>
public sealed record TrainingUpdate(
    string Algorithm,
    long Steps,
    long Episodes,
    long Updates,
    double StepsPerSecond,
    double? MeanReturn,
    double? MeanLength,
    IReadOnlyDictionary<string, double> Losses,
    double LearningRate,
    TimeSpan Elapsed,
    bool IsFinal = false)
{
    /// <summary>
    /// The fraction of the budget used, in [0, 1] (<see cref="TrainingMonitor.Progress"/>): by steps if the budget has a
    /// step limit, else by episodes, else by the episodes of the slowest task, else by time.
    /// </summary>
    public double BudgetUsed { get; init; }

    /// <summary>
    /// The step count at which the step budget ends (a resumed run's earlier steps included), or null if the budget
    /// has no step limit.
    /// </summary>
    public long? StepLimit { get; init; }

    /// <summary>
    /// The seed the environment was reset with when training began (see <see cref="TrainingMonitor.ResetEnvironment"/>),
    /// or null if the algorithm did not reset it through the monitor.
    /// </summary>
    public ulong? EnvironmentSeed { get; init; }
}
