using Microsoft.Extensions.Logging;
using RLKit.Training;

namespace RLKit.Hosting;

/// <summary>
/// One message of <see cref="RLContext.Log"/>, like ML.NET's <c>LoggingEventArgs</c>: a formatted line, its level and
/// source, and the typed <see cref="TrainingUpdate"/> when the message reports training progress.
/// </summary>
public sealed class LoggingEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public LoggingEventArgs(string message, LogLevel level, string source, TrainingUpdate? update = null)
    {
        Message = message ?? "";
        Level = level;
        Source = source ?? "";
        Update = update;
    }

    /// <summary>The formatted message.</summary>
    public string Message { get; }

    /// <summary>How important the message is.</summary>
    public LogLevel Level { get; }

    /// <summary>What produced the message: the algorithm's name for training progress, or a catalog's name ("Model").</summary>
    public string Source { get; }

    /// <summary>The progress report this message formats, or null when it is not about training progress.</summary>
    public TrainingUpdate? Update { get; }

    /// <inheritdoc/>
    public override string ToString() => $"[{Source}] {Message}";
}
