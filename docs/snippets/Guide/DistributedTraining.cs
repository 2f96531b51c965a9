using RLKit.Algorithms.Ppo;
using RLKit.Distributed;
using RLKit.Distributed.Hosting;
using RLKit.Distributed.Sweeps;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Training;

namespace RLKit.Snippets.Guide;

internal static class DistributedTraining
{
    public static void Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task RunAsync()
    {
        // Two in-process silos stand in for a real cluster; the documented lines are the same on real machines.
        await using var testCluster = await Given.InProcessClusterAsync(2, siloBuilder =>
        {
            // begin snippet
            // Each silo: the grains and the environments its workers make.
            siloBuilder.AddRLKitWorkers(StandardEnvironments.CreateCatalog);
            // end snippet
        });
        var clusterClient = testCluster.Client;
        var rl = RLKitEnvs.CreateContext(seed: 1);
        var jobs = new[] { new SweepJob("ppo-seed-1", "ppo", "CartPole-v1", Steps: 256, Environments: 2, Seed: 1) };
        string outputDirectory = Path.Combine(Environment.CurrentDirectory, "runs");
        // begin snippet
        // The learner: an Orleans client. Training reads as local training does.
        var cluster = new RLKitCluster(clusterClient, StandardEnvironments.CreateCatalog());
        using var env = cluster.VectorEnvironment("CartPole-v1", workers: 4, environmentsPerWorker: 2, seed: 1);
        var agent = rl.Agents.Ppo(PpoOptions.CartPole with { Seed = 1 }).Fit(env, Budget.Steps(100_000));

        var evaluation = await cluster.EvaluateAsync(agent, "CartPole-v1", seeds: [.. Enumerable.Range(0, 100).Select(k => (ulong)k)]);
        var sweep = await cluster.RunSweepAsync("lr-sweep", jobs, outputDirectory);
        // end snippet
        Given.Check(evaluation.Reports.Count == 100, "one report per seed");
        Given.Check(sweep.Jobs.Single().Outcome == SweepJobOutcome.Completed && File.Exists(Path.Combine(outputDirectory, "ppo-seed-1.csv")), "the sweep wrote its CSV");
        Given.Check(env.Delivery.DuplicatesDropped == 0, "no duplicate");
    }
}
