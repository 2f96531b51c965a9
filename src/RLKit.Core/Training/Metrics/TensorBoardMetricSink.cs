using System.Globalization;

namespace RLKit.Training.Metrics;

/// <summary>
/// Writes scalar metrics to a TensorBoard event file (<c>events.out.tfevents.&lt;unix seconds&gt;.&lt;hostname&gt;</c>)
/// that <c>tensorboard --logdir</c> reads directly: TFRecord framing with masked CRC-32C checksums,
/// an opening <c>file_version</c> event, then one <c>Event</c> with a scalar <c>Summary</c> per write.
/// </summary>
/// <remarks>
/// Values are stored as 32-bit floats (TensorBoard's <c>simple_value</c>). Records are buffered and
/// reach the file on <see cref="Flush"/> or <see cref="Dispose"/>. If a file of the same name already
/// exists (two sinks opened in the same second), a numeric suffix is appended; TensorBoard picks up
/// any file whose name contains <c>tfevents</c>.
/// </remarks>
public sealed class TensorBoardMetricSink : IMetricSink
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly TfRecordWriter _records;
    private readonly TensorBoardEventEncoder _encoder = new();
    private bool _disposed;

    /// <summary>Creates the event file in <paramref name="directory"/>, or in its subdirectory <paramref name="runName"/>.</summary>
    /// <param name="directory">The log directory (what <c>tensorboard --logdir</c> points at). Created if missing.</param>
    /// <param name="runName">Optional run name: a subdirectory, which TensorBoard shows as a separate run.</param>
    /// <exception cref="ArgumentException">If <paramref name="directory"/> is empty or <paramref name="runName"/> is empty or not a single path segment.</exception>
    public TensorBoardMetricSink(string directory, string? runName = null)
        : this(directory, runName, TimeProvider.System)
    {
    }

    /// <summary>As the public constructor, with the clock that stamps wall times and names the file.</summary>
    internal TensorBoardMetricSink(string directory, string? runName, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(clock);
        if (runName is not null && (runName.Length == 0 || runName.IndexOfAny(['/', '\\']) >= 0 || runName is "." or ".."
            || runName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0))
            throw new ArgumentException($"runName '{runName}' must be a non-empty single directory name.", nameof(runName));

        _clock = clock;
        LogDirectory = Path.GetFullPath(runName is null ? directory : Path.Combine(directory, runName));
        Directory.CreateDirectory(LogDirectory);

        var now = _clock.GetUtcNow();
        var (path, stream) = CreateEventFile(LogDirectory, now.ToUnixTimeSeconds());
        FilePath = path;
        _records = new TfRecordWriter(stream);
        _records.Write(_encoder.EncodeFileVersion(WallTime(now)));
    }

    /// <summary>The directory holding the event file (the run's directory when a run name was given).</summary>
    public string LogDirectory { get; }

    /// <summary>The full path of the event file being written.</summary>
    public string FilePath { get; }

    /// <inheritdoc/>
    public void Write(long step, IReadOnlyDictionary<string, double> scalars)
    {
        MetricArguments.CheckStep(step);
        MetricArguments.CheckScalars(scalars);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (scalars.Count == 0)
                return;
            _records.Write(_encoder.EncodeScalars(WallTime(_clock.GetUtcNow()), step, scalars));
        }
    }

    /// <inheritdoc/>
    public void Write(long step, string tag, double value)
    {
        MetricArguments.CheckStep(step);
        MetricArguments.CheckTag(tag, nameof(tag));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _records.Write(_encoder.EncodeScalar(WallTime(_clock.GetUtcNow()), step, tag, value));
        }
    }

    /// <inheritdoc/>
    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _records.Flush();
        }
    }

    /// <summary>Flushes and closes the event file. Further writes throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _records.Dispose();
        }
    }

    // TensorBoard's wall_time is fractional seconds since the Unix epoch.
    private static double WallTime(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static (string Path, FileStream Stream) CreateEventFile(string directory, long unixSeconds)
    {
        string baseName = string.Create(CultureInfo.InvariantCulture, $"events.out.tfevents.{unixSeconds}.{Environment.MachineName}");
        for (int attempt = 0; ; attempt++)
        {
            string name = attempt == 0 ? baseName : string.Create(CultureInfo.InvariantCulture, $"{baseName}.{attempt}");
            string path = Path.Combine(directory, name);
            try
            {
                return (path, new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 1 << 14));
            }
            catch (IOException) when (File.Exists(path) && attempt < 1000)
            {
                // Another sink opened in the same second; try the next suffix.
            }
        }
    }
}
