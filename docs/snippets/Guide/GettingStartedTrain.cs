using RLKit.Algorithms.Ppo;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Training;
using RLKit.Training.Logging;

namespace RLKit.Snippets.Guide;

internal static class GettingStartedTrain
{
    public static void Run()
    {
        // begin snippet
        var rl = RLKitEnvs.CreateContext(seed: 1);                      // environments, algorithms, seeds, logging
        using var envs = rl.Environments.MakeVector("CartPole-v1", count: 8);

        var agent = rl.Agents.Ppo(PpoOptions.CartPole)                  // RL-Zoo's tuned CartPole settings
            .Fit(envs, Budget.Steps(100_000), new ConsoleProgress());   // a live progress bar

        var report = rl.Evaluate(agent, "CartPole-v1", episodes: 100);  // greedy episodes on a fresh environment
        Console.WriteLine($"mean return {report.MeanReturn:F1} ± {report.StdReturn:F1}");
        rl.Model.Save(agent, "cartpole.rlkit");
        // end snippet
        Given.Check(File.Exists("cartpole.rlkit"), "the checkpoint was written");
    }
}
