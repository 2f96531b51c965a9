using RLKit.Spaces;

namespace RLKit.Environments;

/// <summary>
/// N related tasks that share observation and action spaces (multi-task RL: Distral, QMP). Each task has its own
/// id and reward, and creates its own environment instances, so tasks can be stepped side by side.
/// </summary>
public interface ITaskSet
{
    /// <summary>The task set's name, e.g. "distral-grids-4-8".</summary>
    string Name { get; }

    /// <summary>The number of tasks.</summary>
    int TaskCount { get; }

    /// <summary>A stable id per task, e.g. "PointMaze-Large-Task3".</summary>
    IReadOnlyList<string> TaskIds { get; }

    /// <summary>The observation space every task shares.</summary>
    Space ObservationSpace { get; }

    /// <summary>The action space every task shares.</summary>
    Space ActionSpace { get; }

    /// <summary>Creates a fresh environment for task <paramref name="task"/> (0 ≤ task &lt; TaskCount).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the task index is out of range.</exception>
    IEnvironment CreateEnvironment(int task);
}
