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
    bool IsFinal = false);
