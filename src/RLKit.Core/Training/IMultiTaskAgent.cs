using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Training;

/// <summary>
/// An agent trained on several tasks at once (Distral, QMP): one policy per task, acting given a task id, plus the
/// agent's own task-agnostic policy behind <see cref="IAgent.Act(Tensor, Span{int}, bool, RandomGenerator?)"/> (for
/// Distral the distilled policy π0), which is what it offers a task it was not trained on.
/// </summary>
public interface IMultiTaskAgent : IAgent
{
    /// <summary>The ids of the tasks the agent was trained on; task k of <see cref="Act(int, Tensor, Span{int}, bool, RandomGenerator?)"/> is <c>TaskIds[k]</c>.</summary>
    IReadOnlyList<string> TaskIds { get; }

    /// <summary>Chooses discrete actions with task <paramref name="task"/>'s policy, as <see cref="IAgent.Act(Tensor, Span{int}, bool, RandomGenerator?)"/> does.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the task is not in [0, TaskIds.Count).</exception>
    void Act(int task, Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null);

    /// <summary>Chooses continuous actions with task <paramref name="task"/>'s policy, as <see cref="IAgent.Act(Tensor, Span{float}, bool, RandomGenerator?)"/> does.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the task is not in [0, TaskIds.Count).</exception>
    void Act(int task, Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null);

    /// <summary>
    /// Task <paramref name="task"/>'s policy as a plain <see cref="IAgent"/> (a view, not a copy), for everything that
    /// takes one: evaluation, rendering, serving. Implementations can forward to <see cref="TaskPolicies.View"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If the task is not in [0, TaskIds.Count).</exception>
    IAgent ForTask(int task) => TaskPolicies.View(this, task);
}

/// <summary>Views of one task's policy of an <see cref="IMultiTaskAgent"/> as a plain <see cref="IAgent"/>.</summary>
public static class TaskPolicies
{
    /// <summary>Task <paramref name="task"/>'s policy of <paramref name="agent"/>: acting forwards to <c>agent.Act(task, …)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">If the task is not in [0, TaskIds.Count).</exception>
    public static IAgent View(IMultiTaskAgent agent, int task)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if ((uint)task >= (uint)agent.TaskIds.Count)
            throw new ArgumentOutOfRangeException(nameof(task), task, $"{agent.Algorithm}: the task must be in [0, {agent.TaskIds.Count - 1}].");
        return new TaskPolicyView(agent, task);
    }

    private sealed class TaskPolicyView(IMultiTaskAgent agent, int task) : IAgent
    {
        public string Algorithm => agent.Algorithm;

        public Space ObservationSpace => agent.ObservationSpace;

        public Space ActionSpace => agent.ActionSpace;

        public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
            agent.Act(task, observations, actions, deterministic, rng);

        public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
            agent.Act(task, observations, actions, deterministic, rng);

        public override string ToString() => $"{agent.Algorithm} policy of task {task} ({agent.TaskIds[task]})";
    }
}
