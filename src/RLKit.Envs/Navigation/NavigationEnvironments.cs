using RLKit.Environments;
using RLKit.Environments.Wrappers;

namespace RLKit.Envs.Navigation;

/// <summary>Registers the Navigation environments in a catalog.</summary>
/// <remarks>
/// Ids "PointMaze-Large-Task0" … "PointMaze-Large-Task9" (task i of <see cref="PointMazeTask.LargeMazeTasks"/>; the id
/// fixes the task, overriding <see cref="PointMazeOptions.Task"/>) and the task set "point-maze-large" with the same
/// ten ids in order. Each environment is wrapped in a 600-step <see cref="TimeLimit"/>.
/// </remarks>
internal static class NavigationEnvironments
{
    /// <summary>The task set's id.</summary>
    public const string TaskSetId = "point-maze-large";

    /// <summary>Adds this family's ids to <paramref name="catalog"/>.</summary>
    public static void Register(EnvironmentCatalog catalog)
    {
        int taskCount = PointMazeTask.LargeMazeTasks.Count;
        for (int task = 0; task < taskCount; task++)
        {
            int fixedTask = task;
            var definition = PointMazeTask.LargeMazeTasks[task];
            catalog.Register(
                PointMaze.TaskId(task),
                $"QMP point maze (D4RL LARGE_MAZE), task {task}: ({definition.StartRow},{definition.StartColumn}) → ({definition.GoalRow},{definition.GoalColumn}); 600 steps.",
                options => Create((PointMazeOptions?)options, fixedTask),
                typeof(PointMazeOptions));
        }
        catalog.RegisterTaskSet(
            TaskSetId,
            "QMP maze navigation: 10 start → goal tasks in D4RL's LARGE_MAZE (observation [x, y, vx, vy], no task id); 600 steps.",
            options => CreateTaskSet((PointMazeOptions?)options),
            typeof(PointMazeOptions));
    }

    /// <summary>The "point-maze-large" task set; <paramref name="options"/> apply to every task (their Task is ignored).</summary>
    public static ITaskSet CreateTaskSet(PointMazeOptions? options = null)
    {
        var ids = Enumerable.Range(0, PointMazeTask.LargeMazeTasks.Count).Select(PointMaze.TaskId).ToArray();
        return new TaskSet(TaskSetId, ids, task => Create(options, task));
    }

    private static IEnvironment Create(PointMazeOptions? options, int task) =>
        new TimeLimit(new PointMaze((options ?? new PointMazeOptions()) with { Task = task }), PointMaze.MaxEpisodeSteps);
}
