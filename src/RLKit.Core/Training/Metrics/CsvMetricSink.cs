using System.Globalization;
using System.Text;
using RLKit.Serialization;

namespace RLKit.Training.Metrics;

/// <summary>
/// Writes metrics as a <c>progress.csv</c> in the style of Stable-Baselines3 and CleanRL: one row per
/// step, a first column <c>step</c>, then one column per tag in the order tags first appeared. Cells
/// of tags not written at a step are empty.
/// </summary>
/// <remarks>
/// <para>
/// Every write with the same step goes into the same row; a write with a different step starts a new
/// row. Numbers use the invariant culture (decimal point '.', round-trip precision; <c>NaN</c>,
/// <c>inf</c>, <c>-inf</c>), whatever the current culture is, and tags are quoted as RFC 4180 requires.
/// </para>
/// <para>
/// Tags may appear at any time. Rows are kept in memory (a few numbers per logging interval), so when a
/// flush finds new columns it rewrites the whole file with the wider header, atomically; otherwise it
/// only appends the new rows. The file is created at the first flush and replaces any existing file.
/// </para>
/// </remarks>
public sealed class CsvMetricSink : IMetricSink
{
    /// <summary>The name of the first column, which holds the step.</summary>
    public const string StepColumn = "step";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Lock _gate = new();
    private readonly List<string> _columns = [];
    private readonly Dictionary<string, int> _columnIndex = new(StringComparer.Ordinal);
    private readonly List<Row> _rows = [];
    private Row? _pending;
    private int _rowsOnDisk;
    private int _columnsOnDisk = -1;
    private bool _disposed;

    /// <summary>Creates a sink that writes <paramref name="path"/>; its directory is created if missing.</summary>
    /// <param name="path">The CSV file, usually <c>&lt;run directory&gt;/progress.csv</c>.</param>
    /// <exception cref="ArgumentException">If <paramref name="path"/> is empty or names a directory.</exception>
    public CsvMetricSink(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = Path.GetFullPath(path);
        if (Path.GetFileName(FilePath).Length == 0)
            throw new ArgumentException($"CsvMetricSink: path '{path}' names a directory, not a file.", nameof(path));
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
    }

    /// <summary>The full path of the CSV file.</summary>
    public string FilePath { get; }

    /// <summary>The column names so far, <see cref="StepColumn"/> first.</summary>
    public IReadOnlyList<string> Columns
    {
        get
        {
            lock (_gate)
                return [StepColumn, .. _columns];
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Also if a tag is <see cref="StepColumn"/>.</exception>
    public void Write(long step, IReadOnlyDictionary<string, double> scalars)
    {
        MetricArguments.CheckStep(step);
        MetricArguments.CheckScalars(scalars);
        foreach (var tag in scalars.Keys)
            CheckNotStepColumn(tag, nameof(scalars));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var row = RowFor(step);
            foreach (var (tag, value) in scalars)
                row.Set(ColumnOf(tag), value);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Also if <paramref name="tag"/> is <see cref="StepColumn"/>.</exception>
    public void Write(long step, string tag, double value)
    {
        MetricArguments.CheckStep(step);
        MetricArguments.CheckTag(tag, nameof(tag));
        CheckNotStepColumn(tag, nameof(tag));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            RowFor(step).Set(ColumnOf(tag), value);
        }
    }

    /// <summary>Writes every row so far, including the row of the latest step, to the file.</summary>
    /// <remarks>A later write at that same step still lands in the same row: the file is then rewritten.</remarks>
    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            FlushCore();
        }
    }

    /// <summary>Flushes and closes the sink. Further writes throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            FlushCore();
            _disposed = true;
        }
    }

    private static void CheckNotStepColumn(string tag, string parameterName)
    {
        if (tag == StepColumn)
            throw new ArgumentException($"CsvMetricSink: the tag '{StepColumn}' is reserved for the step column.", parameterName);
    }

    private Row RowFor(long step)
    {
        if (_pending is { } pending && pending.Step == step)
            return pending;
        _pending = new Row(step);
        _rows.Add(_pending);
        return _pending;
    }

    private int ColumnOf(string tag)
    {
        if (!_columnIndex.TryGetValue(tag, out int index))
        {
            index = _columns.Count;
            _columns.Add(tag);
            _columnIndex.Add(tag, index);
        }
        return index;
    }

    private void FlushCore()
    {
        // Only the newest row can change after it was written (later writes at the same step); a row
        // already on disk cannot be appended again, so a change to it means a rewrite.
        bool lastRowOnDiskChanged = _rowsOnDisk > 0 && _rows[_rowsOnDisk - 1].Version != _rows[_rowsOnDisk - 1].VersionOnDisk;

        if (_columnsOnDisk != _columns.Count || lastRowOnDiskChanged)
        {
            AtomicFile.Write(FilePath, stream =>
            {
                using var writer = new StreamWriter(stream, Utf8NoBom, bufferSize: 1 << 14, leaveOpen: true);
                WriteHeader(writer);
                foreach (var row in _rows)
                    WriteRow(writer, row);
            });
        }
        else if (_rowsOnDisk < _rows.Count)
        {
            using var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read);
            using var writer = new StreamWriter(stream, Utf8NoBom);
            for (int i = _rowsOnDisk; i < _rows.Count; i++)
                WriteRow(writer, _rows[i]);
        }
        else
        {
            return;
        }

        _columnsOnDisk = _columns.Count;
        _rowsOnDisk = _rows.Count;
        if (_rows.Count > 0)
            _rows[^1].VersionOnDisk = _rows[^1].Version;
    }

    private void WriteHeader(StreamWriter writer)
    {
        writer.Write(StepColumn);
        foreach (var column in _columns)
        {
            writer.Write(',');
            writer.Write(Quote(column));
        }
        writer.Write('\n');
    }

    private void WriteRow(StreamWriter writer, Row row)
    {
        writer.Write(row.Step.ToString(CultureInfo.InvariantCulture));
        for (int column = 0; column < _columns.Count; column++)
        {
            writer.Write(',');
            if (row.TryGet(column, out double value))
                writer.Write(FormatNumber(value));
        }
        writer.Write('\n');
    }

    /// <summary>The CSV text of <paramref name="value"/>: shortest round-trip form, invariant culture, pandas-readable non-finite values.</summary>
    internal static string FormatNumber(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>One step's cells; columns are indexed in first-seen order and a row only grows.</summary>
    private sealed class Row(long step)
    {
        private double[] _values = [];
        private bool[] _present = [];

        internal long Step { get; } = step;

        /// <summary>Bumped by every <see cref="Set"/>, so a flush can tell whether a row already on disk changed.</summary>
        internal int Version { get; private set; }

        internal int VersionOnDisk { get; set; }

        internal void Set(int column, double value)
        {
            if (column >= _values.Length)
            {
                int length = Math.Max(column + 1, _values.Length * 2);
                Array.Resize(ref _values, length);
                Array.Resize(ref _present, length);
            }
            _values[column] = value;
            _present[column] = true;
            Version++;
        }

        internal bool TryGet(int column, out double value)
        {
            bool present = column < _present.Length && _present[column];
            value = present ? _values[column] : 0;
            return present;
        }
    }
}
