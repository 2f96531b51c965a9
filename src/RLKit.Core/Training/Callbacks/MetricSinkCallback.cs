using RLKit.Training.Metrics;

namespace RLKit.Training.Callbacks;

/// <summary>
/// Writes each update's scalars to an <see cref="IMetricSink"/> (a <c>progress.csv</c>, TensorBoard event files or
/// both) at the update's environment step, with SB3-style grouped tags: <see cref="EpisodesTag"/>,
/// <see cref="UpdatesTag"/>, <see cref="StepsPerSecondTag"/>, <see cref="ElapsedTag"/>, <see cref="MeanReturnTag"/>
/// and <see cref="MeanLengthTag"/> (once an episode has ended), <see cref="LearningRateTag"/>, and
/// <c>train/{loss}</c> for each loss.
/// </summary>
/// <remarks>
/// The sink is flushed after every write so a crashed run keeps its curve; the caller owns the sink and disposes it.
/// </remarks>
public sealed class MetricSinkCallback : ITrainingCallback
{
    /// <summary>Completed episodes.</summary>
    public const string EpisodesTag = "time/episodes";
    /// <summary>Updates so far.</summary>
    public const string UpdatesTag = "time/updates";
    /// <summary>Environment steps per second.</summary>
    public const string StepsPerSecondTag = "time/steps_per_second";
    /// <summary>Seconds since training began.</summary>
    public const string ElapsedTag = "time/elapsed_seconds";
    /// <summary>Mean return of the recent training episodes.</summary>
    public const string MeanReturnTag = "rollout/mean_return";
    /// <summary>Mean length of the recent training episodes.</summary>
    public const string MeanLengthTag = "rollout/mean_length";
    /// <summary>The learning rate.</summary>
    public const string LearningRateTag = "train/learning_rate";
    /// <summary>The prefix of each loss's tag.</summary>
    public const string LossPrefix = "train/";

    private readonly StepTrigger? _trigger;
    private readonly Dictionary<string, double> _scalars = new(StringComparer.Ordinal);

    /// <summary>Creates the callback.</summary>
    /// <param name="sink">Where to write; not disposed by the callback.</param>
    /// <param name="everySteps">Write at most once per this many environment steps, or 0 to write every update.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="everySteps"/> is negative.</exception>
    public MetricSinkCallback(IMetricSink sink, long everySteps = 0)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (everySteps < 0)
            throw new ArgumentOutOfRangeException(nameof(everySteps), everySteps, "MetricSinkCallback: everySteps must be ≥ 0 (0 writes every update).");
        Sink = sink;
        _trigger = everySteps == 0 ? null : new StepTrigger(everySteps, nameof(everySteps));
    }

    /// <summary>The sink written to.</summary>
    public IMetricSink Sink { get; }

    /// <inheritdoc/>
    public void OnUpdate(TrainingUpdate update, TrainingControl control)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (_trigger is not null && !_trigger.ShouldFire(update.Steps)) return;
        Write(update);
    }

    /// <summary>Writes one update's scalars and flushes (also usable for the final update, which callbacks do not see).</summary>
    public void Write(TrainingUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        _scalars.Clear();
        _scalars[EpisodesTag] = update.Episodes;
        _scalars[UpdatesTag] = update.Updates;
        _scalars[StepsPerSecondTag] = update.StepsPerSecond;
        _scalars[ElapsedTag] = update.Elapsed.TotalSeconds;
        if (update.MeanReturn is { } meanReturn) _scalars[MeanReturnTag] = meanReturn;
        if (update.MeanLength is { } meanLength) _scalars[MeanLengthTag] = meanLength;
        _scalars[LearningRateTag] = update.LearningRate;
        foreach (var (name, value) in update.Losses)
            _scalars[LossPrefix + name] = value;
        Sink.Write(update.Steps, _scalars);
        Sink.Flush();
    }
}
