namespace RLKit.Training.Metrics;

/// <summary>
/// A destination for scalar training metrics (losses, returns, learning rate, ...) keyed by the
/// environment step they belong to: a CSV file, a TensorBoard event file, or several at once.
/// </summary>
/// <remarks>
/// Tags are free-form names; a slash groups them in TensorBoard (<c>"train/loss"</c>). Writes may be
/// buffered: call <see cref="Flush"/> to make everything written so far visible to readers, and
/// dispose the sink at the end of the run (which flushes). Implementations in RLKit are thread-safe.
/// </remarks>
public interface IMetricSink : IDisposable
{
    /// <summary>Records every scalar in <paramref name="scalars"/> at <paramref name="step"/>.</summary>
    /// <param name="step">The environment step (x axis). Must be ≥ 0.</param>
    /// <param name="scalars">Tag → value. Tags must be non-empty.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="step"/> is negative.</exception>
    /// <exception cref="ArgumentException">If a tag is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">If the sink has been disposed.</exception>
    void Write(long step, IReadOnlyDictionary<string, double> scalars);

    /// <summary>Records one scalar <paramref name="value"/> under <paramref name="tag"/> at <paramref name="step"/>.</summary>
    /// <param name="step">The environment step (x axis). Must be ≥ 0.</param>
    /// <param name="tag">The metric's name. Must be non-empty.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="step"/> is negative.</exception>
    /// <exception cref="ArgumentException">If <paramref name="tag"/> is null or empty.</exception>
    /// <exception cref="ObjectDisposedException">If the sink has been disposed.</exception>
    void Write(long step, string tag, double value);

    /// <summary>Pushes everything written so far to the underlying storage.</summary>
    /// <exception cref="ObjectDisposedException">If the sink has been disposed.</exception>
    void Flush();
}
