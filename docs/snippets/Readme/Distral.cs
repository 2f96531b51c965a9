using RLKit.Algorithms.Distral;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Snippets.Readme;

internal static class Distral
{
    public static void Run()
    {
        // begin snippet
        var rl = RLKitEnvs.CreateContext(seed: 1);
        var tasks = rl.Environments.MakeTaskSet("distral-grids-4-8");            // five two-room grids
        var agent = rl.Agents.Distral(DistralOptions.ThesisSql).Fit(tasks, Budget.Steps(100_000));

        var observation = Tensor.FromArray([-0.75f, 0f, 0f], 1, 3);             // the start cell of grids 4–7
        var action = new int[1];
        agent.Act(task: 2, observation, action, deterministic: true);            // grid 6's policy
        IAgent gridSix = agent.ForTask(2);                                       // the same, for evaluation or serving
        // end snippet
    }
}
