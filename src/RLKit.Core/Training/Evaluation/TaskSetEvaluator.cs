using RLKit.Environments;

namespace RLKit.Training.Evaluation;

/// <summary>
/// Evaluates a multi-task agent on every task of an <see cref="ITaskSet"/>: task i's policy
/// (<see cref="IMultiTaskAgent.ForTask"/>) plays a fixed number of whole episodes on task i's environment, and the
/// report gives each task's success rate and mean return (the per-task curves of multi-task papers such as QMP).
/// </summary>
/// <remarks>
/// One environment per task is created at the first evaluation and reused by every later one; dispose the evaluator
/// to dispose them. Each evaluation resets task i's environment with the seed <c>Seed + i</c> before its first
/// episode (later episodes continue that environment's random stream), so every evaluation of a run sees the same
/// starting states. An episode counts as a success when its last step's info holds <c>"success" = true</c>
/// (<see cref="Evaluator.SuccessInfoKey"/>); a task whose environment never reports success has success rate 0.
/// Episodes run one observation at a time through <see cref="Evaluator.Evaluate(IAgent, IEnvironment, int, bool, double?, ulong, CancellationToken)"/>.
/// </remarks>
public sealed class TaskSetEvaluator : IDisposable
{
    private readonly ITaskSet _taskSet;
    private IEnvironment?[]? _environments;
    private bool _disposed;

    /// <summary>Creates an evaluator of <paramref name="taskSet"/>'s tasks.</summary>
    /// <param name="taskSet">The tasks; its environments are created at the first evaluation.</param>
    /// <param name="episodesPerTask">Episodes per task and evaluation; at least 1 (QMP uses 10).</param>
    /// <param name="deterministic">Act with each policy's mode (the default) rather than sampling.</param>
    /// <param name="seed">Task i's environment is reset with <c>seed + i</c> at the start of every evaluation; also seeds sampling when not deterministic.</param>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="episodesPerTask"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">If the task set has no tasks.</exception>
    public TaskSetEvaluator(ITaskSet taskSet, int episodesPerTask = 10, bool deterministic = true, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(taskSet);
        if (episodesPerTask < 1)
            throw new ArgumentOutOfRangeException(nameof(episodesPerTask), episodesPerTask, "TaskSetEvaluator: episodesPerTask must be at least 1.");
        if (taskSet.TaskCount < 1)
            throw new ArgumentException($"TaskSetEvaluator: the task set '{taskSet.Name}' has no tasks.", nameof(taskSet));
        _taskSet = taskSet;
        EpisodesPerTask = episodesPerTask;
        Deterministic = deterministic;
        Seed = seed;
    }

    /// <summary>The task set evaluated.</summary>
    public ITaskSet TaskSet => _taskSet;

    /// <summary>Episodes per task and evaluation.</summary>
    public int EpisodesPerTask { get; }

    /// <summary>Whether the policies act greedily.</summary>
    public bool Deterministic { get; }

    /// <summary>The base seed: task i's environment is reset with <c>Seed + i</c>.</summary>
    public ulong Seed { get; }

    /// <summary>Evaluates every task's policy of <paramref name="agent"/> on its task.</summary>
    /// <param name="agent">The agent; its task ids must be the task set's, in the same order.</param>
    /// <param name="cancellationToken">Stops between steps with <see cref="OperationCanceledException"/>.</param>
    /// <returns>One <see cref="TaskEvaluation"/> per task, in task order.</returns>
    /// <exception cref="ArgumentException">If the agent's tasks are not the task set's, or its spaces do not fit the tasks' environments.</exception>
    /// <exception cref="ObjectDisposedException">If the evaluator has been disposed.</exception>
    public TaskSetEvaluationReport Evaluate(IMultiTaskAgent agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckTasks(agent);
        _environments ??= new IEnvironment?[_taskSet.TaskCount];
        var tasks = new TaskEvaluation[_taskSet.TaskCount];
        for (int task = 0; task < tasks.Length; task++)
        {
            var environment = _environments[task] ??= _taskSet.CreateEnvironment(task)
                ?? throw new InvalidOperationException($"TaskSetEvaluator: the task set '{_taskSet.Name}' created no environment for task {task}.");
            var report = Evaluator.Evaluate(agent.ForTask(task), environment, EpisodesPerTask, Deterministic,
                                            seed: unchecked(Seed + (ulong)task), cancellationToken: cancellationToken);
            tasks[task] = new TaskEvaluation(task, _taskSet.TaskIds[task], report);
        }
        return new TaskSetEvaluationReport(Array.AsReadOnly(tasks));
    }

    /// <summary>The agent must have been trained on exactly this task set's tasks, so policy i is evaluated on task i.</summary>
    private void CheckTasks(IMultiTaskAgent agent)
    {
        var agentTasks = agent.TaskIds;
        var setTasks = _taskSet.TaskIds;
        if (agentTasks.Count != setTasks.Count)
            throw new ArgumentException(
                $"TaskSetEvaluator: the {agent.Algorithm} agent has {agentTasks.Count} task policies but the task set '{_taskSet.Name}' has {setTasks.Count} tasks.",
                nameof(agent));
        for (int task = 0; task < setTasks.Count; task++)
        {
            if (!string.Equals(agentTasks[task], setTasks[task], StringComparison.Ordinal))
                throw new ArgumentException(
                    $"TaskSetEvaluator: the {agent.Algorithm} agent's task {task} is '{agentTasks[task]}' but the task set '{_taskSet.Name}' has '{setTasks[task]}' there; policy i must be evaluated on the task it was trained on.",
                    nameof(agent));
        }
    }

    /// <summary>Disposes the environments created so far.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_environments is null) return;
        foreach (var environment in _environments) environment?.Dispose();
        _environments = null;
    }
}
