using RLKit.Environments;
using RLKit.Training.Evaluation;
using RLKit.Training.Metrics;

namespace RLKit.Training.Callbacks;

/// <summary>
/// Evaluates a multi-task agent on every task of a task set every <c>everySteps</c> environment steps (summed over
/// tasks) with a <see cref="TaskSetEvaluator"/>, keeps the history for the caller and, when given a sink, writes
/// <see cref="SuccessPrefix"/><c>{taskId}</c>, <see cref="SuccessRateTag"/> (the mean over tasks) and
/// <see cref="ReturnPrefix"/><c>{taskId}</c> at the update's step.
/// </summary>
/// <remarks>
/// Callbacks do not see a Fit call's final report, so to evaluate at the end call <see cref="Evaluate"/> after Fit
/// with the trained agent and the final step count (<see cref="TrainingUpdate.Steps"/> of the final report); it does
/// nothing new when the last evaluation was already at that step. The agent being trained must implement
/// <see cref="IMultiTaskAgent"/>. Dispose the callback to dispose the evaluation environments (one per task, created
/// at the first evaluation); the sink belongs to the caller.
/// </remarks>
public sealed class TaskSetEvaluationCallback : ITrainingCallback, IDisposable
{
    /// <summary>The tag of the success rate averaged over tasks.</summary>
    public const string SuccessRateTag = "eval/success_rate";
    /// <summary>The prefix of each task's success-rate tag, followed by the task id.</summary>
    public const string SuccessPrefix = "eval/success/";
    /// <summary>The prefix of each task's mean-return tag, followed by the task id.</summary>
    public const string ReturnPrefix = "eval/return/";

    private readonly TaskSetEvaluator _evaluator;
    private readonly StepTrigger _trigger;
    private readonly List<(long Steps, TaskSetEvaluationReport Report)> _history = [];
    private readonly Dictionary<string, double> _scalars = new(StringComparer.Ordinal);

    /// <summary>Creates the callback.</summary>
    /// <param name="taskSet">The tasks the agent is trained on (environments of its own are created, so training's are never disturbed).</param>
    /// <param name="everySteps">The interval in environment steps summed over tasks; at least 1.</param>
    /// <param name="episodesPerTask">Episodes per task and evaluation; at least 1 (QMP uses 10).</param>
    /// <param name="sink">Where to write the evaluation scalars, or null; flushed after each write, not disposed.</param>
    /// <param name="deterministic">Evaluate the greedy policies (the default) or sample.</param>
    /// <param name="seed">Task i's evaluation environment is reset with <c>seed + i</c> at the start of every evaluation.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="everySteps"/> or <paramref name="episodesPerTask"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">If the task set has no tasks.</exception>
    public TaskSetEvaluationCallback(ITaskSet taskSet, long everySteps, int episodesPerTask = 10, IMetricSink? sink = null,
                                     bool deterministic = true, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(taskSet);
        _trigger = new StepTrigger(everySteps, nameof(everySteps));
        _evaluator = new TaskSetEvaluator(taskSet, episodesPerTask, deterministic, seed);
        Sink = sink;
    }

    /// <summary>The sink written to, or null.</summary>
    public IMetricSink? Sink { get; }

    /// <summary>The evaluator (its task set, episodes, determinism and seed).</summary>
    public TaskSetEvaluator Evaluator => _evaluator;

    /// <summary>Every evaluation so far with the step count it was made at, oldest first.</summary>
    public IReadOnlyList<(long Steps, TaskSetEvaluationReport Report)> History => _history;

    /// <summary>The latest evaluation, or null.</summary>
    public TaskSetEvaluationReport? LastReport => _history.Count == 0 ? null : _history[^1].Report;

    /// <summary>Raised after each evaluation with the step count and the report.</summary>
    public event Action<long, TaskSetEvaluationReport>? Evaluated;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">If the agent being trained is not an <see cref="IMultiTaskAgent"/>.</exception>
    public void OnUpdate(TrainingUpdate update, TrainingControl control)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(control);
        if (!_trigger.ShouldFire(update.Steps)) return;
        Evaluate(control.Agent, update.Steps);
    }

    /// <summary>
    /// Evaluates <paramref name="agent"/> now, records it at <paramref name="steps"/> and writes it to the sink; when
    /// the latest evaluation was already made at <paramref name="steps"/>, returns it without evaluating again. Use it
    /// after Fit for the evaluation at the end of training.
    /// </summary>
    /// <param name="agent">The agent; it must implement <see cref="IMultiTaskAgent"/> with the task set's task ids.</param>
    /// <param name="steps">The environment step count to record the evaluation at; not less than the latest evaluation's.</param>
    /// <exception cref="InvalidOperationException">If <paramref name="agent"/> is not an <see cref="IMultiTaskAgent"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="steps"/> is negative or before the latest evaluation's.</exception>
    /// <exception cref="ArgumentException">If the agent's tasks are not the task set's.</exception>
    /// <exception cref="ObjectDisposedException">If the callback has been disposed.</exception>
    public TaskSetEvaluationReport Evaluate(IAgent agent, long steps)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (agent is not IMultiTaskAgent multiTask)
            throw new InvalidOperationException(
                $"TaskSetEvaluationCallback: the {agent.Algorithm} agent ({agent.GetType().Name}) is not an IMultiTaskAgent; per-task evaluation needs one policy per task (train it with Fit(ITaskSet, …) of a multi-task algorithm).");
        long latest = _history.Count == 0 ? 0 : _history[^1].Steps;
        if (steps < latest)
            throw new ArgumentOutOfRangeException(nameof(steps), steps,
                $"TaskSetEvaluationCallback: steps must be ≥ 0 and not before the latest evaluation's ({latest}).");
        if (_history.Count > 0 && steps == latest) return _history[^1].Report;

        var report = _evaluator.Evaluate(multiTask);
        _history.Add((steps, report));
        if (Sink is not null)
        {
            _scalars.Clear();
            _scalars[SuccessRateTag] = report.SuccessRate;
            foreach (var task in report.Tasks)
            {
                _scalars[SuccessPrefix + task.TaskId] = task.SuccessRate;
                _scalars[ReturnPrefix + task.TaskId] = task.MeanReturn;
            }
            Sink.Write(steps, _scalars);
            Sink.Flush();
        }
        Evaluated?.Invoke(steps, report);
        return report;
    }

    /// <summary>Disposes the evaluation environments, if any were built.</summary>
    public void Dispose() => _evaluator.Dispose();
}
