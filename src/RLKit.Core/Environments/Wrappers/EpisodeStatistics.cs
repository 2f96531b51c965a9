using System.Diagnostics;

namespace RLKit.Environments.Wrappers;

/// <summary>
/// Tracks the return and length of each episode (Gymnasium's <c>RecordEpisodeStatistics</c>). On the step that
/// ends an episode, info gains <c>"episode"</c> → <see cref="EpisodeRecord"/>; the record is also appended to
/// <see cref="RecentReturns"/> and <see cref="RecentLengths"/>, which keep the last <see cref="BufferLength"/>
/// episodes. Other steps pass the inner info through untouched, so only episode ends allocate.
/// </summary>
public sealed class EpisodeStatistics : Wrapper
{
    /// <summary>The info key of the episode record.</summary>
    public const string InfoKey = "episode";

    private readonly Queue<double> _returns;
    private readonly Queue<int> _lengths;
    private double _return;
    private int _length;
    private long _startTimestamp;

    /// <summary>Wraps <paramref name="env"/>, remembering the last <paramref name="bufferLength"/> episodes (default 100).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="bufferLength"/> is less than 1.</exception>
    public EpisodeStatistics(IEnvironment env, int bufferLength = 100) : base(env)
    {
        if (bufferLength < 1)
            throw new ArgumentOutOfRangeException(nameof(bufferLength), bufferLength, "EpisodeStatistics: bufferLength must be at least 1.");
        BufferLength = bufferLength;
        _returns = new Queue<double>(bufferLength);
        _lengths = new Queue<int>(bufferLength);
    }

    /// <summary>How many recent episodes <see cref="RecentReturns"/> and <see cref="RecentLengths"/> keep.</summary>
    public int BufferLength { get; }

    /// <summary>Returns of the most recent episodes, oldest first.</summary>
    public IReadOnlyCollection<double> RecentReturns => _returns;

    /// <summary>Lengths of the most recent episodes, oldest first.</summary>
    public IReadOnlyCollection<int> RecentLengths => _lengths;

    /// <summary>Episodes completed since construction.</summary>
    public long EpisodeCount { get; private set; }

    /// <summary>Steps taken since construction.</summary>
    public long TotalSteps { get; private set; }

    /// <summary>The return of the current episode so far.</summary>
    public double EpisodeReturn => _return;

    /// <summary>The length of the current episode so far.</summary>
    public int EpisodeLength => _length;

    /// <summary>The record of the last completed episode, or null before the first one ends.</summary>
    public EpisodeRecord? LastEpisode { get; private set; }

    /// <inheritdoc/>
    public override ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
    {
        var result = Inner.Reset(seed, options);
        _return = 0;
        _length = 0;
        _startTimestamp = Stopwatch.GetTimestamp();
        return result;
    }

    /// <inheritdoc/>
    public override StepResult Step(int action) => Record(Inner.Step(action));

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<float> action) => Record(Inner.Step(action));

    /// <inheritdoc/>
    public override StepResult Step(ReadOnlySpan<int> action) => Record(Inner.Step(action));

    private StepResult Record(StepResult result)
    {
        _return += result.Reward;
        _length++;
        TotalSteps++;
        if (!result.Done) return result;

        var record = new EpisodeRecord(_return, _length, Stopwatch.GetElapsedTime(_startTimestamp));
        LastEpisode = record;
        EpisodeCount++;
        if (_returns.Count == BufferLength) { _returns.Dequeue(); _lengths.Dequeue(); }
        _returns.Enqueue(record.Return);
        _lengths.Enqueue(record.Length);

        // A fresh dictionary per episode end, so callers may keep it (vector envs' final infos, loggers).
        var info = new Dictionary<string, object>(result.Info.Count + 1, StringComparer.Ordinal);
        foreach (var pair in result.Info) info[pair.Key] = pair.Value;
        info[InfoKey] = record;
        return new StepResult(result.Observation, result.Reward, result.Terminated, result.Truncated, info);
    }
}
