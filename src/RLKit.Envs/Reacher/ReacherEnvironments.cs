using RLKit.Environments;
using RLKit.Environments.Wrappers;

namespace RLKit.Envs.Reacher;

/// <summary>Registers the Reacher environments in a catalog.</summary>
/// <remarks>
/// Ids "MultistageReacher-Task0" … "MultistageReacher-Task4" (task i of <see cref="MultistageReacherTask.Tasks"/>; the
/// id fixes the task, overriding <see cref="MultistageReacherOptions.Task"/>) and the task set "multistage-reacher"
/// with the same five ids in order. Each environment is wrapped in a 200-step <see cref="TimeLimit"/>.
/// </remarks>
internal static class ReacherEnvironments
{
    /// <summary>The task set's id.</summary>
    public const string TaskSetId = "multistage-reacher";

    /// <summary>Adds this family's ids to <paramref name="catalog"/>.</summary>
    public static void Register(EnvironmentCatalog catalog)
    {
        for (int task = 0; task < MultistageReacherTask.Tasks.Count; task++)
        {
            int fixedTask = task;
            var definition = MultistageReacherTask.Tasks[task];
            string what = definition.Reward == ReacherReward.StayStill
                ? "stay still"
                : $"subgoals {string.Join(",", definition.Subgoals.ToCharArray())}{(definition.Reward == ReacherReward.Sparse ? ", sparse reward" : "")}";
            catalog.Register(
                MultistageReacher.TaskId(task),
                $"QMP multistage reacher (planar 3-link arm), task {task}: {what}; 200 steps.",
                options => Create((MultistageReacherOptions?)options, fixedTask),
                typeof(MultistageReacherOptions));
        }
        catalog.RegisterTaskSet(
            TaskSetId,
            "QMP multistage reacher: 5 tasks of a planar 3-link arm (subgoal sequences, one sparse, one stay-still; stage in the observation, no goal); 200 steps.",
            options => CreateTaskSet((MultistageReacherOptions?)options),
            typeof(MultistageReacherOptions));
    }

    /// <summary>The "multistage-reacher" task set; <paramref name="options"/> apply to every task (their Task is ignored).</summary>
    public static ITaskSet CreateTaskSet(MultistageReacherOptions? options = null)
    {
        var ids = Enumerable.Range(0, MultistageReacherTask.Tasks.Count).Select(MultistageReacher.TaskId).ToArray();
        return new TaskSet(TaskSetId, ids, task => Create(options, task));
    }

    private static IEnvironment Create(MultistageReacherOptions? options, int task) =>
        new TimeLimit(new MultistageReacher((options ?? new MultistageReacherOptions()) with { Task = task }), MultistageReacher.MaxEpisodeSteps);
}
