namespace RLKit.Training.Metrics;

/// <summary>
/// Sends every metric to several sinks at once, e.g. <c>progress.csv</c> and a TensorBoard event file.
/// It owns its sinks: disposing it disposes them all.
/// </summary>
public sealed class CompositeMetricSink : IMetricSink
{
    private readonly IMetricSink[] _sinks;
    private bool _disposed;

    /// <summary>Fans out to <paramref name="sinks"/>, in the given order.</summary>
    /// <exception cref="ArgumentNullException">If <paramref name="sinks"/> or one of its elements is null.</exception>
    public CompositeMetricSink(params IEnumerable<IMetricSink> sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _sinks = [.. sinks];
        if (Array.IndexOf(_sinks, null) is var nullAt and >= 0)
            throw new ArgumentNullException(nameof(sinks), $"CompositeMetricSink: sink {nullAt} is null.");
    }

    /// <summary>The sinks every write goes to.</summary>
    public IReadOnlyList<IMetricSink> Sinks => _sinks;

    /// <inheritdoc/>
    public void Write(long step, IReadOnlyDictionary<string, double> scalars)
    {
        // Checked here too, so a bad write fails before any sink has recorded part of it.
        MetricArguments.CheckStep(step);
        MetricArguments.CheckScalars(scalars);
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var sink in _sinks)
            sink.Write(step, scalars);
    }

    /// <inheritdoc/>
    public void Write(long step, string tag, double value)
    {
        MetricArguments.CheckStep(step);
        MetricArguments.CheckTag(tag, nameof(tag));
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var sink in _sinks)
            sink.Write(step, tag, value);
    }

    /// <inheritdoc/>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var sink in _sinks)
            sink.Flush();
    }

    /// <summary>Disposes every sink, even if some throw; their exceptions are rethrown afterwards.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        List<Exception>? failures = null;
        foreach (var sink in _sinks)
        {
            try
            {
                sink.Dispose();
            }
            catch (Exception e)
            {
                (failures ??= []).Add(e);
            }
        }
        if (failures is [var single])
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(single);
        if (failures is not null)
            throw new AggregateException("CompositeMetricSink: several sinks failed to dispose.", failures);
    }
}
