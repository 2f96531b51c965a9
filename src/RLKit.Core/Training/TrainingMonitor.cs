using System.Diagnostics;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Training;

/// <summary>
/// The bookkeeping every training loop shares: counting steps and episodes from a vector environment's rewards and
/// done flags, recent episode statistics, the budget and cancellation, progress reports and callbacks. An algorithm
/// calls <see cref="RecordStep"/> after each vector step, <see cref="Report"/> after each update, and loops while
/// <see cref="ShouldStop"/> is false; inside an update it checks <see cref="IsCancellationRequested"/> before every
/// gradient step (minibatch, regression, actor or critic step).
/// </summary>
/// <remarks>
/// Cancellation is prompt: once the token is cancelled no further gradient step starts, the update it interrupts is
/// not reported (no progress report, no callbacks), and the algorithm goes straight to <see cref="Finish"/>, so Fit
/// returns normally with <see cref="StopReason"/> "cancelled" (unless the budget had already ended training) and the
/// agent holds the weights of its last completed gradient step. A spent budget never interrupts an update: it is
/// only checked between updates.
/// </remarks>
public sealed class TrainingMonitor
{
    private const int RecentEpisodes = 100;

    private readonly Budget _budget;
    private readonly IProgress<TrainingUpdate>? _progress;
    private readonly IReadOnlyList<ITrainingCallback> _callbacks;
    private readonly CancellationToken _cancellationToken;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly double[] _runningReturns;
    private readonly int[] _runningLengths;
    private readonly Queue<(double Return, int Length)> _recent = new();
    private readonly Queue<double> _thresholdWindow = new();
    private double _thresholdSum;
    private readonly TaskAssignment _tasks;
    private readonly long[] _taskEpisodes;
    private TrainingControl? _control;
    // Where a resumed run's counts stood when this Fit began: budgets count from here, schedules run over the whole run.
    private long _startSteps;
    private long _startEpisodes;

    /// <summary>Creates a monitor for a vector environment of <paramref name="envCount"/> sub-environments.</summary>
    /// <param name="algorithm">The algorithm's short name.</param>
    /// <param name="budget">When training stops.</param>
    /// <param name="envCount">The number of sub-environments.</param>
    /// <param name="progress">Receives a report after every update.</param>
    /// <param name="callbacks">Run after every update.</param>
    /// <param name="cancellationToken">Stops training promptly.</param>
    /// <param name="tasks">Which task each sub-environment plays, for <see cref="Budget.EpisodesPerTaskLimit"/> and <see cref="EpisodesOfTask"/>; null for one task played by all.</param>
    /// <exception cref="ArgumentException">If the budget has no step, episode or time limit, or the tasks cover another number of sub-environments.</exception>
    public TrainingMonitor(string algorithm, Budget budget, int envCount, IProgress<TrainingUpdate>? progress = null,
                           IReadOnlyList<ITrainingCallback>? callbacks = null, CancellationToken cancellationToken = default,
                           TaskAssignment? tasks = null)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (envCount < 1) throw new ArgumentOutOfRangeException(nameof(envCount), envCount, "TrainingMonitor: envCount must be at least 1.");
        if (budget.MaxSteps is null && budget.MaxEpisodes is null && budget.EpisodesPerTaskLimit is null && budget.MaxTime is null)
            throw new ArgumentException("The budget needs a step, episode or time limit; a reward threshold alone might never be reached.", nameof(budget));
        _tasks = tasks ?? TaskAssignment.SingleTask(envCount);
        if (_tasks.EnvironmentCount != envCount)
            throw new ArgumentException($"TrainingMonitor: the tasks cover {_tasks.EnvironmentCount} sub-environments, but there are {envCount}.", nameof(tasks));
        _taskEpisodes = new long[_tasks.TaskCount];
        Algorithm = algorithm;
        _budget = budget;
        _progress = progress;
        _callbacks = callbacks ?? [];
        _cancellationToken = cancellationToken;
        _runningReturns = new double[envCount];
        _runningLengths = new int[envCount];
    }

    /// <summary>The algorithm's short name.</summary>
    public string Algorithm { get; }

    /// <summary>Environment steps so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Completed episodes so far.</summary>
    public long Episodes { get; private set; }

    /// <summary>Completed episodes of task <paramref name="task"/> so far.</summary>
    public long EpisodesOfTask(int task) => _taskEpisodes[task];

    /// <summary>The fewest completed episodes of any task (<see cref="Episodes"/> for a single task).</summary>
    public long FewestTaskEpisodes => _taskEpisodes.Min();

    /// <summary>Updates reported so far.</summary>
    public long Updates { get; private set; }

    /// <summary>Wall-clock time since the monitor was created.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Mean return of up to the last 100 completed episodes, or null.</summary>
    public double? MeanReturn => _recent.Count == 0 ? null : _recent.Average(e => e.Return);

    /// <summary>Mean length of up to the last 100 completed episodes, or null.</summary>
    public double? MeanLength => _recent.Count == 0 ? null : _recent.Average(e => (double)e.Length);

    /// <summary>The seed the environment was reset with when training began (<see cref="ResetEnvironment"/>), or null before.</summary>
    public ulong? EnvironmentSeed { get; private set; }

    /// <summary>
    /// The seed rule for the environment: the environment's own <see cref="IVectorEnvironment.Seed"/> (the seed it was
    /// last reset with, e.g. by <c>RLContext.Environments.MakeVector</c>) when it has one, else
    /// <paramref name="algorithmSeed"/> (the options' seed). Recorded as <see cref="EnvironmentSeed"/> and reported in
    /// every <see cref="TrainingUpdate"/>.
    /// </summary>
    /// <param name="environment">The environment about to be reset.</param>
    /// <param name="algorithmSeed">The algorithm's seed, used when the environment has none.</param>
    public ulong SelectEnvironmentSeed(IVectorEnvironment environment, ulong algorithmSeed)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ulong seed = environment.Seed ?? algorithmSeed;
        EnvironmentSeed = seed;
        return seed;
    }

    /// <summary>
    /// Resets <paramref name="environment"/> at the start of training with the seed <see cref="SelectEnvironmentSeed"/>
    /// chooses (its own seed if it has one, else <paramref name="algorithmSeed"/>) plus <paramref name="offset"/> (a
    /// resumed run passes its step count, so it does not replay its first episodes) and returns the chosen seed.
    /// </summary>
    public ulong ResetEnvironment(IVectorEnvironment environment, ulong algorithmSeed, ulong offset = 0)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ulong seed = SelectEnvironmentSeed(environment, algorithmSeed);
        // The environment keeps no record of a seed it did not choose itself: otherwise the next Fit on the same
        // environment, with another algorithm seed, would start from this one.
        ulong resetSeed = unchecked(seed + offset);
        if (environment is VectorEnvironment vector) vector.Reset(resetSeed, recordSeed: false);
        else environment.Reset(resetSeed);
        return seed;
    }

    /// <summary>Why training stopped (budget, threshold, cancellation or a callback), or null while it runs.</summary>
    public string? StopReason { get; private set; }

    /// <summary>
    /// The fraction of the budget used, in [0, 1], by steps if there is a step limit, else by episodes, else by the
    /// episodes of the slowest task, else by time; learning-rate schedules use 1 − this as "progress remaining". In a
    /// resumed run (<see cref="Resume"/>) the step and episode fractions cover the whole run: the steps before this
    /// <c>Fit</c> count, and the schedule's length is those steps plus this <c>Fit</c>'s budget.
    /// </summary>
    public double Progress =>
        Math.Clamp(_budget.MaxSteps is { } s ? Steps / (double)(_startSteps + s)
                 : _budget.MaxEpisodes is { } e ? Episodes / (double)(_startEpisodes + e)
                 : _budget.EpisodesPerTaskLimit is { } perTask ? FewestTaskEpisodes / (double)perTask
                 : Elapsed / _budget.MaxTime!.Value, 0, 1);

    /// <summary>True once the budget is spent, the threshold is reached, the token is cancelled or a callback stopped training.</summary>
    public bool ShouldStop
    {
        get
        {
            if (StopReason is not null) return true;
            if (_cancellationToken.IsCancellationRequested) StopReason = "cancelled";
            else if (_budget.MaxSteps is { } s && Steps - _startSteps >= s) StopReason = $"step budget of {s} reached";
            else if (_budget.MaxEpisodes is { } e && Episodes - _startEpisodes >= e) StopReason = $"episode budget of {e} reached";
            else if (_budget.EpisodesPerTaskLimit is { } perTask && FewestTaskEpisodes >= perTask) StopReason = $"every task completed {perTask} episodes";
            else if (_budget.MaxTime is { } t && Elapsed >= t) StopReason = $"time budget of {t.TotalSeconds:0.#} s reached";
            else if (_budget.RewardThreshold is { } r && _thresholdWindow.Count == _budget.ThresholdWindow && _thresholdSum / _thresholdWindow.Count >= r)
                StopReason = $"mean return over the last {_budget.ThresholdWindow} episodes reached {r}";
            else if (_control?.StopReason is { } reason) StopReason = reason;
            return StopReason is not null;
        }
    }

    /// <summary>
    /// True once the cancellation token is cancelled. Unlike <see cref="ShouldStop"/> it looks at nothing else (not
    /// the budget, the threshold or the callbacks), so an algorithm checks it before each gradient step of an update:
    /// cancellation cuts an update short, a spent budget lets it finish.
    /// </summary>
    public bool IsCancellationRequested => _cancellationToken.IsCancellationRequested;

    /// <summary>
    /// Records one vector step: adds rewards to each sub-environment's running episode and closes the episodes that
    /// ended (terminated or truncated). Use SameStep autoreset, so every step is a real transition.
    /// </summary>
    public void RecordStep(ReadOnlySpan<float> rewards, ReadOnlySpan<bool> terminated, ReadOnlySpan<bool> truncated)
    {
        int n = _runningReturns.Length;
        if (rewards.Length != n || terminated.Length != n || truncated.Length != n)
            throw new ArgumentException($"TrainingMonitor.RecordStep: expected {n} rewards and flags, got {rewards.Length}, {terminated.Length}, {truncated.Length}.");
        Steps += n;
        for (int i = 0; i < n; i++)
        {
            _runningReturns[i] += rewards[i];
            _runningLengths[i]++;
            if (terminated[i] || truncated[i])
            {
                _taskEpisodes[_tasks.TaskOf(i)]++;
                CloseEpisode(_runningReturns[i], _runningLengths[i], counted: true);
                _runningReturns[i] = 0;
                _runningLengths[i] = 0;
            }
        }
    }

    /// <summary>
    /// Records one transition of sub-environment (stream) <paramref name="stream"/> alone, for experience that arrives
    /// stream by stream rather than as whole vector steps (an <c>IExperienceSource</c>): counts one step and closes the
    /// stream's episode if it ended.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="stream"/> is not a sub-environment index.</exception>
    public void RecordTransition(int stream, float reward, bool terminated, bool truncated)
    {
        if ((uint)stream >= (uint)_runningReturns.Length)
            throw new ArgumentOutOfRangeException(nameof(stream), stream, $"TrainingMonitor.RecordTransition: stream must be in [0, {_runningReturns.Length - 1}].");
        Steps++;
        _runningReturns[stream] += reward;
        _runningLengths[stream]++;
        if (terminated || truncated)
        {
            _taskEpisodes[_tasks.TaskOf(stream)]++;
            CloseEpisode(_runningReturns[stream], _runningLengths[stream], counted: true);
            _runningReturns[stream] = 0;
            _runningLengths[stream] = 0;
        }
    }

    /// <summary>
    /// Forgets the unfinished episode of stream <paramref name="stream"/> without counting it (its environment was made
    /// afresh, so the episode will never end).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="stream"/> is not a sub-environment index.</exception>
    public void AbandonEpisode(int stream)
    {
        if ((uint)stream >= (uint)_runningReturns.Length)
            throw new ArgumentOutOfRangeException(nameof(stream), stream, $"TrainingMonitor.AbandonEpisode: stream must be in [0, {_runningReturns.Length - 1}].");
        _runningReturns[stream] = 0;
        _runningLengths[stream] = 0;
    }

    /// <summary>Ends training for <paramref name="reason"/> (e.g. an experience source that ended), unless it has already stopped.</summary>
    internal void Stop(string reason) => StopReason ??= reason;

    /// <summary>The token that cancels training, for waits inside a loop (receiving experience).</summary>
    internal CancellationToken CancellationToken => _cancellationToken;

    private void CloseEpisode(double episodeReturn, int length, bool counted)
    {
        if (counted) Episodes++;
        _recent.Enqueue((episodeReturn, length));
        if (_recent.Count > RecentEpisodes) _recent.Dequeue();
        _thresholdWindow.Enqueue(episodeReturn);
        _thresholdSum += episodeReturn;
        if (_thresholdWindow.Count > _budget.ThresholdWindow) _thresholdSum -= _thresholdWindow.Dequeue();
    }

    /// <summary>
    /// Continues the counts of the run <paramref name="state"/> was captured from: steps, episodes and updates go on
    /// from there (budgets count this <c>Fit</c>'s share only; see <see cref="Progress"/>), and the recent episodes are
    /// kept for reports and reward thresholds. With <paramref name="continueEpisodes"/> the unfinished episodes go on
    /// too (the environment continues); otherwise they are dropped, as the environment is reset.
    /// </summary>
    /// <exception cref="InvalidOperationException">If called after steps were recorded.</exception>
    internal void Resume(TrainingState state, bool continueEpisodes)
    {
        if (Steps != 0 || Episodes != 0 || Updates != 0)
            throw new InvalidOperationException("TrainingMonitor.Resume: training has already started.");
        Steps = _startSteps = state.Steps;
        Episodes = _startEpisodes = state.Episodes;
        Updates = state.Updates;
        var statistics = state.Statistics;
        for (int i = 0; i < statistics.RecentReturns.Length; i++) CloseEpisode(statistics.RecentReturns[i], statistics.RecentLengths[i], counted: false);
        if (continueEpisodes && statistics.RunningReturns.Length == _runningReturns.Length)
        {
            statistics.RunningReturns.CopyTo(_runningReturns, 0);
            statistics.RunningLengths.CopyTo(_runningLengths, 0);
        }
    }

    /// <summary>
    /// This run's counts and episode statistics, with the algorithm's own <paramref name="counters"/>, the states of its
    /// <paramref name="generators"/> and persistent copies of <paramref name="tensors"/>: what a later <c>Fit</c> needs
    /// to resume where this one stops.
    /// </summary>
    internal TrainingState CaptureTrainingState(IEnumerable<KeyValuePair<string, long>> counters,
                                                IEnumerable<KeyValuePair<string, RandomGenerator>> generators,
                                                IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var recent = _recent.ToArray();
        var statistics = new EpisodeStatisticsState((double[])_runningReturns.Clone(), (int[])_runningLengths.Clone(),
                                                    recent.Select(e => e.Return).ToArray(), recent.Select(e => e.Length).ToArray());
        var copies = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            var copy = Tensor.AllocatePersistent(tensor.ShapeArray());
            tensor.AsReadOnlySpan().CopyTo(copy.AsSpan());
            copies.Add(name, copy);
        }
        return new TrainingState(Steps, Episodes, Updates, statistics,
                                 new Dictionary<string, long>(counters, StringComparer.Ordinal),
                                 generators.ToDictionary(g => g.Key, g => g.Value.State, StringComparer.Ordinal), copies);
    }

    /// <summary>Counts an update, then reports progress and runs the callbacks.</summary>
    public TrainingUpdate Report(IAgent agent, IReadOnlyDictionary<string, double> losses, double learningRate)
    {
        Updates++;
        return Emit(agent, losses, learningRate, isFinal: false);
    }

    /// <summary>Emits the final report of a Fit call (no update is counted, callbacks do not run).</summary>
    public TrainingUpdate Finish(IAgent agent, IReadOnlyDictionary<string, double> losses, double learningRate)
    {
        _ = ShouldStop;
        return Emit(agent, losses, learningRate, isFinal: true);
    }

    private TrainingUpdate Emit(IAgent agent, IReadOnlyDictionary<string, double> losses, double learningRate, bool isFinal)
    {
        var elapsed = Elapsed;
        var update = new TrainingUpdate(Algorithm, Steps, Episodes, Updates,
            elapsed.TotalSeconds > 0 ? (Steps - _startSteps) / elapsed.TotalSeconds : 0, MeanReturn, MeanLength, losses, learningRate, elapsed, isFinal)
        {
            BudgetUsed = Progress,
            StepLimit = _budget.MaxSteps is { } s ? _startSteps + s : null,
            EnvironmentSeed = EnvironmentSeed,
        };
        _progress?.Report(update);
        if (!isFinal && _callbacks.Count > 0)
        {
            _control ??= new TrainingControl(agent);
            _control.Agent = agent;
            foreach (var callback in _callbacks) callback.OnUpdate(update, _control);
        }
        return update;
    }
}
