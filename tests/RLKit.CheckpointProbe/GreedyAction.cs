using System.Globalization;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.CheckpointProbe;

/// <summary>
/// An agent's greedy action on an all-zero observation, as text (shared with the test that runs the probe); a
/// multi-task agent acts with task 0's policy, since not every one has a task-agnostic policy.
/// </summary>
internal static class GreedyAction
{
    public static string Of(IAgent agent)
    {
        if (agent is IMultiTaskAgent multiTask) agent = multiTask.ForTask(0);
        var observation = Tensor.Zeros(1, agent.ObservationSpace.FlatSize);
        if (agent.ActionSpace is Discrete)
        {
            Span<int> action = stackalloc int[1];
            agent.Act(observation, action, deterministic: true);
            return action[0].ToString(CultureInfo.InvariantCulture);
        }
        if (agent.ActionSpace is ActionList list)
        {
            var items = new int[list.Length];
            agent.Act(observation, items, deterministic: true);
            return string.Join(",", items.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        }
        var actions = new float[agent.ActionSpace.FlatSize];
        agent.Act(observation, actions, deterministic: true);
        return string.Join(",", actions.Select(a => a.ToString("R", CultureInfo.InvariantCulture)));
    }
}
