using RLKit.Training;
using RLKit.Training.Logging;

namespace RLKit.Snippets.Readme;

internal static class SeeingProgress
{
    public static void Run()
    {
        var estimator = new RLKit.Algorithms.Ppo.PpoEstimator(RLKit.Algorithms.Ppo.PpoOptions.CartPole with { Seed = 1 });
        using var envs = Given.CartPoleEnvironments();
        // begin snippet
        var agent = estimator.Fit(envs, Budget.Steps(100_000), new ConsoleProgress());
        // end snippet
        Given.Check(agent.Algorithm == "ppo", "a trained PPO agent");
    }
}
