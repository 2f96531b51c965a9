using RLKit.Algorithms.Dqn;
using RLKit.Distributed;
using RLKit.Distributed.Hosting;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Training;

namespace RLKit.Snippets.Guide;

internal static class AsyncOffPolicyTraining
{
    public static void Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task RunAsync()
    {
        // Two in-process silos stand in for a real cluster; the documented lines are the same on real machines.
        await using var testCluster = await Given.InProcessClusterAsync(2, siloBuilder => siloBuilder.AddRLKitWorkers(StandardEnvironments.CreateCatalog));
        var rl = RLKitEnvs.CreateContext(seed: 1);
        var cluster = new RLKitCluster(testCluster.Client, StandardEnvironments.CreateCatalog());
        // begin snippet
        // Workers act with the weights (and the ε) the learner publishes and stream their transitions into its replay buffer.
        await using var stream = cluster.ExperienceStream("CartPole-v1", workers: 4, environmentsPerWorker: 2, seed: 1);
        var agent = rl.Agents.Dqn(new DqnOptions { TrainFrequency = 32 }).Fit(stream, Budget.Steps(50_000));
        // end snippet
        Given.Check(stream.Delivery.DuplicatesDropped == 0, "no duplicate");
        // The snippet budget is capped (Caps.cs), below LearningStarts: only the first publish happens.
        Given.Check(stream.Version == 0 && stream.TransitionsReceived >= Budget.MaxSteps, $"the workers streamed the budget (version {stream.Version}, {stream.TransitionsReceived} transitions)");
        Given.Check(agent.QNetwork is not null, "a trained agent");
    }
}
