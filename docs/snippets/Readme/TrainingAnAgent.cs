using RLKit.Algorithms.Ppo;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Training;
using RLKit.Training.Checkpoints;
using RLKit.Training.Evaluation;

namespace RLKit.Snippets.Readme;

internal static class TrainingAnAgent
{
    public static void Run()
    {
        // begin snippet
        var catalog = StandardEnvironments.CreateCatalog();
        using var envs = new SyncVectorEnvironment(
            Enumerable.Range(0, 8).Select(_ => catalog.Make("CartPole-v1")).ToList(), AutoresetMode.SameStep);

        var estimator = new PpoEstimator(PpoOptions.CartPole with { Seed = 1 });
        var agent = estimator.Fit(envs, Budget.Steps(100_000));
        var report = Evaluator.Evaluate(agent, catalog.Make("CartPole-v1"), episodes: 100, solvedThreshold: 475);
        Checkpoint.Save(agent, "cartpole.rlkit");
        // end snippet
    }
}
