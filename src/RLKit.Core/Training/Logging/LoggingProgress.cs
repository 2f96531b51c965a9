using Microsoft.Extensions.Logging;

namespace RLKit.Training.Logging;

/// <summary>
/// Reports training progress to an <see cref="ILogger"/>: one structured Information entry per update and one for the
/// final report. Each entry's state is a <see cref="TrainingLogEntry"/>, a list of named properties (<c>Algorithm</c>,
/// <c>Steps</c>, <c>Episodes</c>, <c>Updates</c>, <c>StepsPerSecond</c>, <c>MeanReturn</c>, <c>MeanLength</c>,
/// <c>LearningRate</c>, <c>ElapsedSeconds</c>, <c>IsFinal</c>, <c>EnvironmentSeed</c>, and <c>Loss.{name}</c> per loss) that structured
/// providers (Serilog, OpenTelemetry, the JSON console) keep as fields. Pass it as the <c>progress</c> argument of Fit.
/// </summary>
public sealed class LoggingProgress : IProgress<TrainingUpdate>
{
    /// <summary>The event id of per-update entries.</summary>
    public static readonly EventId UpdateEvent = new(4001, "TrainingUpdate");

    /// <summary>The event id of the final entry.</summary>
    public static readonly EventId FinishedEvent = new(4002, "TrainingFinished");

    private readonly ILogger _logger;

    /// <summary>Creates the adapter.</summary>
    /// <param name="logger">Where entries go.</param>
    /// <param name="everyUpdates">Log one update in this many (the final report is always logged); at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="everyUpdates"/> is less than 1.</exception>
    public LoggingProgress(ILogger logger, int everyUpdates = 1)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (everyUpdates < 1)
            throw new ArgumentOutOfRangeException(nameof(everyUpdates), everyUpdates, "LoggingProgress: everyUpdates must be at least 1.");
        _logger = logger;
        EveryUpdates = everyUpdates;
    }

    /// <summary>One update in this many is logged.</summary>
    public int EveryUpdates { get; }

    /// <inheritdoc/>
    public void Report(TrainingUpdate value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!_logger.IsEnabled(LogLevel.Information)) return;
        if (!value.IsFinal && value.Updates % EveryUpdates != 0) return;
        _logger.Log(LogLevel.Information, value.IsFinal ? FinishedEvent : UpdateEvent, new TrainingLogEntry(value), null,
                    static (entry, _) => entry.ToString());
    }
}
