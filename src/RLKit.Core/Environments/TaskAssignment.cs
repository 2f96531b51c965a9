namespace RLKit.Environments;

/// <summary>
/// Which task each sub-environment of a vector environment belongs to: <see cref="EnvironmentsPerTask"/> consecutive
/// sub-environments per task, in task order (sub-environment e plays task e / EnvironmentsPerTask). Built by
/// <c>AgentEstimator.Fit(ITaskSet, …)</c>; a plain vector environment is a single task played by every sub-environment.
/// </summary>
public sealed class TaskAssignment
{
    private readonly string[] _taskIds;

    /// <summary>Assigns <paramref name="environmentsPerTask"/> consecutive sub-environments to each of <paramref name="taskIds"/>.</summary>
    /// <exception cref="ArgumentException">If there is no task, or an id is empty or repeated.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If <paramref name="environmentsPerTask"/> is less than 1.</exception>
    public TaskAssignment(IReadOnlyList<string> taskIds, int environmentsPerTask)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        if (taskIds.Count == 0) throw new ArgumentException("TaskAssignment: at least one task is needed.", nameof(taskIds));
        if (environmentsPerTask < 1)
            throw new ArgumentOutOfRangeException(nameof(environmentsPerTask), environmentsPerTask, "TaskAssignment: environmentsPerTask must be at least 1.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in taskIds)
            if (string.IsNullOrWhiteSpace(id) || !seen.Add(id))
                throw new ArgumentException($"TaskAssignment: task ids must be non-empty and distinct; '{id}' is not.", nameof(taskIds));
        _taskIds = [.. taskIds];
        EnvironmentsPerTask = environmentsPerTask;
    }

    /// <summary>One task, <paramref name="taskId"/>, played by all <paramref name="environmentCount"/> sub-environments.</summary>
    public static TaskAssignment SingleTask(int environmentCount, string taskId = "task0") => new([taskId], environmentCount);

    /// <summary>The task ids, in task order.</summary>
    public IReadOnlyList<string> TaskIds => _taskIds;

    /// <summary>The number of tasks.</summary>
    public int TaskCount => _taskIds.Length;

    /// <summary>How many consecutive sub-environments play each task.</summary>
    public int EnvironmentsPerTask { get; }

    /// <summary>The number of sub-environments the assignment covers (tasks × environments per task).</summary>
    public int EnvironmentCount => _taskIds.Length * EnvironmentsPerTask;

    /// <summary>The task sub-environment <paramref name="environment"/> plays.</summary>
    public int TaskOf(int environment) => environment / EnvironmentsPerTask;

    /// <summary>The first sub-environment of task <paramref name="task"/>.</summary>
    public int FirstEnvironmentOf(int task) => task * EnvironmentsPerTask;
}
