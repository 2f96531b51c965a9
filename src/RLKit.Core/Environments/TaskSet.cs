using RLKit.Spaces;

namespace RLKit.Environments;

/// <summary>
/// An <see cref="ITaskSet"/> built from a name, task ids and a factory that creates the environment of a task.
/// The constructor creates (and disposes) one environment per task to check that every task shares the spaces of
/// task 0, so a mismatch fails at registration rather than mid-training.
/// </summary>
public sealed class TaskSet : ITaskSet
{
    private readonly string[] _taskIds;
    private readonly Func<int, IEnvironment> _factory;

    /// <summary>Creates the task set <paramref name="name"/> with one task per id; <paramref name="factory"/> creates task i's environment.</summary>
    /// <exception cref="ArgumentException">If the name or an id is empty, ids repeat, there are no tasks, or tasks' spaces differ.</exception>
    public TaskSet(string name, IReadOnlyList<string> taskIds, Func<int, IEnvironment> factory)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("TaskSet: the name must not be empty.", nameof(name));
        ArgumentNullException.ThrowIfNull(taskIds);
        ArgumentNullException.ThrowIfNull(factory);
        if (taskIds.Count == 0) throw new ArgumentException($"TaskSet {name}: at least one task is needed.", nameof(taskIds));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in taskIds)
        {
            if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException($"TaskSet {name}: task ids must not be empty.", nameof(taskIds));
            if (!seen.Add(id)) throw new ArgumentException($"TaskSet {name}: the task id '{id}' appears twice.", nameof(taskIds));
        }
        Name = name;
        _taskIds = [.. taskIds];
        _factory = factory;

        using (var first = Create(0))
        {
            ObservationSpace = first.ObservationSpace;
            ActionSpace = first.ActionSpace;
        }
        for (int task = 1; task < _taskIds.Length; task++)
        {
            using var env = Create(task);
            CheckSpaces(env, task);
        }
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int TaskCount => _taskIds.Length;

    /// <inheritdoc/>
    public IReadOnlyList<string> TaskIds => _taskIds;

    /// <inheritdoc/>
    public Space ObservationSpace { get; }

    /// <inheritdoc/>
    public Space ActionSpace { get; }

    /// <inheritdoc/>
    public IEnvironment CreateEnvironment(int task)
    {
        if ((uint)task >= (uint)_taskIds.Length)
            throw new ArgumentOutOfRangeException(nameof(task), task, $"TaskSet {Name}: the task index must be in [0, {_taskIds.Length - 1}].");
        var env = Create(task);
        try
        {
            CheckSpaces(env, task);
        }
        catch
        {
            env.Dispose();
            throw;
        }
        return env;
    }

    private IEnvironment Create(int task) =>
        _factory(task) ?? throw new InvalidOperationException($"TaskSet {Name}: the factory returned null for task {task} ({_taskIds[task]}).");

    private void CheckSpaces(IEnvironment env, int task)
    {
        if (SpaceCompatibility.FirstMismatch(env, ObservationSpace, ActionSpace) is var (kind, actual, expected))
            throw new ArgumentException($"TaskSet {Name}: task {task} ({_taskIds[task]}) has {kind} space {actual.Description}, but task 0 has {expected.Description}.");
    }
}
