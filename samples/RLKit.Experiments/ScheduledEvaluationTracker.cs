using System.Diagnostics;
using RLKit.Training;

namespace RLKit.Experiments;

/// <summary>
/// Follows one run of a step-budget experiment: stops training once the budget is reached, evaluates after the first
/// update at or past each multiple of the interval (and, when asked, right after the very first update) and once more
/// at the end unless the last update already had one. Evaluations are timed, so training and evaluation time are told
/// apart; the subclass scores the agent and records each point (curve file, progress line).
/// </summary>
internal abstract class ScheduledEvaluationTracker<TPoint>(long budget, long every, bool evaluateFirstUpdate) : ITrainingCallback
{
    private readonly Stopwatch _evaluationClock = new();
    // 0: not started; −1: the first update is still to be evaluated; else the next step count due.
    private long _next = evaluateFirstUpdate ? -1 : 0;

    /// <summary>Wall time since the tracker was made.</summary>
    protected Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>The run's step budget.</summary>
    protected long Budget => budget;

    /// <summary>Environment steps at the last update.</summary>
    public long Steps { get; private set; }
    public List<TPoint> Points { get; } = [];
    public double EvaluationSeconds => _evaluationClock.Elapsed.TotalSeconds;
    public double FinalEvaluationSeconds { get; private set; }

    public void OnUpdate(TrainingUpdate update, TrainingControl control)
    {
        Steps = update.Steps;
        if (update.Steps >= budget) control.Stop($"{budget} env steps done");
        if (_next == 0) _next = every;
        if (_next > 0 && update.Steps < _next) return;
        if (_next < 0) _next = every;
        while (_next <= update.Steps) _next += every;
        Evaluate(control.Agent, update);
    }

    /// <summary>The evaluation at the end, unless the last update already had one.</summary>
    public void Finish(IAgent agent)
    {
        if (Points.Count > 0 && StepsOf(Points[^1]) == Steps) return;
        var clock = Stopwatch.StartNew();
        Evaluate(agent, null);
        FinalEvaluationSeconds = clock.Elapsed.TotalSeconds;
    }

    /// <summary>The environment steps a point was taken at.</summary>
    protected abstract long StepsOf(TPoint point);

    /// <summary>Evaluates the agent at <see cref="Steps"/> (the timed part).</summary>
    protected abstract TPoint Score(IAgent agent);

    /// <summary>Records a new point (already in <see cref="Points"/>): rewrites the curve file, prints a line; <paramref name="update"/> is null at the end.</summary>
    protected abstract void Record(TPoint point, TrainingUpdate? update);

    private void Evaluate(IAgent agent, TrainingUpdate? update)
    {
        _evaluationClock.Start();
        var point = Score(agent);
        _evaluationClock.Stop();
        Points.Add(point);
        Record(point, update);
    }
}
