using System.Globalization;
using System.Text;

namespace RLKit.Training.Logging;

/// <summary>
/// Shows training progress on the console; pass it as the <c>progress</c> argument of <c>Fit</c>
/// (<c>estimator.Fit(env, Budget.Steps(100_000), new ConsoleProgress())</c>), or as <c>rl.Progress(new ConsoleProgress())</c>
/// to also log. On an interactive terminal it redraws one line in place: a bar, the share of the budget used, steps
/// against the step budget, steps per second, the estimated time left and the mean return of the recent episodes. When
/// output is redirected (a CI log, a file) it writes one plain line each time another tenth of the budget is used, or
/// <see cref="LineInterval"/> after the last line if that comes first. Either way it starts with a line naming the
/// algorithm and the environment seed and ends with a summary line.
/// </summary>
/// <remarks>
/// Reports arrive on the training thread; the instance serves one <c>Fit</c> at a time (a later <c>Fit</c> starts a new
/// display). Numbers are formatted with the invariant culture.
/// </remarks>
public sealed class ConsoleProgress : IProgress<TrainingUpdate>
{
    private const int BarWidth = 20;
    private const int Tenths = 10;

    private readonly TextWriter _writer;
    private readonly TimeProvider _time;
    private readonly bool _ownsConsole;
    private bool _started;
    private long _lastDraw;
    private int _lastTenth;
    private int _drawnWidth;

    /// <summary>Creates a reporter.</summary>
    /// <param name="writer">Where to write; null writes to <see cref="Console.Out"/>.</param>
    /// <param name="interactive">
    /// Redraw one line in place (true) or write plain lines (false); null decides: interactive when writing to the console
    /// and its output is not redirected (<see cref="Console.IsOutputRedirected"/>), plain otherwise.
    /// </param>
    /// <param name="timeProvider">The clock that paces redraws and plain lines; null uses <see cref="TimeProvider.System"/>.</param>
    public ConsoleProgress(TextWriter? writer = null, bool? interactive = null, TimeProvider? timeProvider = null)
    {
        _ownsConsole = writer is null;
        _writer = writer ?? Console.Out;
        _time = timeProvider ?? TimeProvider.System;
        IsInteractive = interactive ?? (_ownsConsole && !Console.IsOutputRedirected);
    }

    /// <summary>True if the display is one line redrawn in place; false for plain lines.</summary>
    public bool IsInteractive { get; }

    /// <summary>The shortest time between two redraws of the interactive line (default 100 ms); the last report is always drawn.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If negative.</exception>
    public TimeSpan RedrawInterval
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(RedrawInterval), value, "ConsoleProgress: RedrawInterval must not be negative.");
    } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// In plain mode, the longest time between two lines (default 30 s): a line is written each time another tenth of
    /// the budget is used, or this long after the last line, whichever comes first.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If not positive.</exception>
    public TimeSpan LineInterval
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(LineInterval), value, "ConsoleProgress: LineInterval must be positive.");
    } = TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    public void Report(TrainingUpdate value)
    {
        ArgumentNullException.ThrowIfNull(value);
        long now = _time.GetTimestamp();
        if (!_started)
        {
            _started = true;
            _lastDraw = now;
            _lastTenth = Tenth(value);
            _drawnWidth = 0;
            _writer.WriteLine(Header(value));
        }
        if (IsInteractive) ReportInteractive(value, now);
        else ReportPlain(value, now);
        if (value.IsFinal)
        {
            _writer.WriteLine(Summary(value));
            _writer.Flush();
            _started = false;
        }
    }

    private void ReportInteractive(TrainingUpdate value, long now)
    {
        if (!value.IsFinal && _drawnWidth > 0 && _time.GetElapsedTime(_lastDraw, now) < RedrawInterval) return;
        _lastDraw = now;
        string line = Bar(value);
        int width = MaxWidth();
        if (line.Length > width) line = line[..width];
        // Carriage return, the new text, and spaces over whatever the longer previous line left behind.
        _writer.Write('\r');
        _writer.Write(line);
        if (_drawnWidth > line.Length) _writer.Write(new string(' ', _drawnWidth - line.Length));
        _drawnWidth = line.Length;
        if (value.IsFinal) _writer.WriteLine();
        _writer.Flush();
    }

    private void ReportPlain(TrainingUpdate value, long now)
    {
        int tenth = Tenth(value);
        bool due = tenth > _lastTenth || _time.GetElapsedTime(_lastDraw, now) >= LineInterval;
        if (!due || value.IsFinal) return; // the summary reports the end
        _lastTenth = tenth;
        _lastDraw = now;
        _writer.WriteLine(Line(value));
        _writer.Flush();
    }

    private int MaxWidth()
    {
        if (!_ownsConsole) return int.MaxValue;
        try
        {
            int width = Console.WindowWidth;
            return width > 1 ? width - 1 : int.MaxValue;
        }
        catch (IOException)
        {
            return int.MaxValue;
        }
    }

    private static int Tenth(TrainingUpdate u) => (int)Math.Floor(Math.Clamp(u.BudgetUsed, 0, 1) * Tenths + 1e-9);

    /// <summary>The first line: the algorithm and the environment seed.</summary>
    internal static string Header(TrainingUpdate u) =>
        u.EnvironmentSeed is { } seed
            ? string.Create(CultureInfo.InvariantCulture, $"{u.Algorithm}: training, environment seed {seed}")
            : $"{u.Algorithm}: training";

    /// <summary>The interactive line, e.g. <c>ppo [##########----------]  50%  50,000/100,000 steps  24,310 steps/s  ETA 0:02  return 187.3</c>.</summary>
    internal static string Bar(TrainingUpdate u)
    {
        var c = CultureInfo.InvariantCulture;
        double used = Math.Clamp(u.BudgetUsed, 0, 1);
        int filled = (int)Math.Floor(used * BarWidth + 1e-9);
        var text = new StringBuilder();
        text.Append(u.Algorithm).Append(" [").Append('#', filled).Append('-', BarWidth - filled).Append("] ");
        text.Append(c, $"{Percent(used),3}%  {Steps(u)}  {u.StepsPerSecond:N0} steps/s  ETA {Eta(u)}  return {Return(u)}");
        return text.ToString();
    }

    /// <summary>A plain line, e.g. <c>ppo  50% | 50,000/100,000 steps | 24,310 steps/s | ETA 0:02 | mean return 187.3 | 412 episodes</c>.</summary>
    internal static string Line(TrainingUpdate u)
    {
        double used = Math.Clamp(u.BudgetUsed, 0, 1);
        return string.Create(CultureInfo.InvariantCulture,
            $"{u.Algorithm} {Percent(used),3}% | {Steps(u)} | {u.StepsPerSecond:N0} steps/s | ETA {Eta(u)} | mean return {Return(u)} | {u.Episodes:N0} episodes");
    }

    /// <summary>The last line: totals and speed.</summary>
    internal static string Summary(TrainingUpdate u) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{u.Algorithm}: done, {u.Steps:N0} steps in {u.Elapsed.TotalSeconds:0.0} s ({u.StepsPerSecond:N0} steps/s), {u.Episodes:N0} episodes, mean return {Return(u)}");

    /// <summary>Whole percent, rounded down, so 100% means done.</summary>
    private static int Percent(double used) => (int)Math.Floor(used * 100 + 1e-9);

    private static string Steps(TrainingUpdate u) =>
        u.StepLimit is { } limit
            ? string.Create(CultureInfo.InvariantCulture, $"{u.Steps:N0}/{limit:N0} steps")
            : string.Create(CultureInfo.InvariantCulture, $"{u.Steps:N0} steps");

    private static string Return(TrainingUpdate u) =>
        u.MeanReturn is { } r ? r.ToString("0.0", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>The time left: from the step rate under a step budget, else from the share of the budget used so far.</summary>
    private static string Eta(TrainingUpdate u)
    {
        if (u.IsFinal) return Duration(TimeSpan.Zero);
        if (u.StepLimit is { } limit && u.StepsPerSecond > 0)
            return Duration(TimeSpan.FromSeconds(Math.Max(limit - u.Steps, 0) / u.StepsPerSecond));
        double used = Math.Clamp(u.BudgetUsed, 0, 1);
        if (used > 0 && u.Elapsed > TimeSpan.Zero)
            return Duration(u.Elapsed * ((1 - used) / used));
        return "?";
    }

    /// <summary>m:ss below an hour, h:mm:ss above; a duration past 100 hours shows as "&gt;99h".</summary>
    private static string Duration(TimeSpan t)
    {
        if (t < TimeSpan.Zero) t = TimeSpan.Zero;
        if (t.TotalHours >= 100) return ">99h";
        int seconds = (int)Math.Round(t.TotalSeconds);
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");
    }
}
