using RLKit.Algorithms.MultiTaskSac;
using RLKit.Algorithms.Qmp;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Snippets.Readme;

internal static class Qmp
{
    public static void Run()
    {
        // begin snippet
        var rl = RLKitEnvs.CreateContext(seed: 1);
        var maze = rl.Environments.MakeTaskSet("point-maze-large");              // ten start → goal tasks
        var options = MultiTaskSacOptions.Preset(new QmpOptions(), MultiTaskSacPreset.Maze);   // Table 1's maze column
        var agent = rl.Agents.Qmp(options).Fit(maze, Budget.Steps(600_000));

        var actions = new float[2];
        agent.Act(task: 3, Tensor.FromArray([7f, 4f, 0f, 0f], 1, 4), actions, deterministic: true);
        // end snippet
    }
}
