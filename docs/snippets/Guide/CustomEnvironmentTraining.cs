using RLKit.Algorithms.Ppo;
using RLKit.Environments;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Training;

namespace RLKit.Snippets.Guide;

internal static class CustomEnvironmentTraining
{
    public static void Run()
    {
        // begin snippet
        CheckEnv.Check(new Corridor());              // throws, naming the broken rule, if the contract is not kept

        var rl = RLKitEnvs.CreateContext(seed: 1);
        rl.Environments.Catalog.Register("Corridor-v0", "walk right along ten cells", _ => new Corridor());
        using var envs = rl.Environments.MakeVector("Corridor-v0", count: 8);
        var agent = rl.Agents.Ppo(new PpoOptions { StepsPerEnvironment = 64, MinibatchSize = 128 }).Fit(envs, Budget.Steps(20_000));
        var report = rl.Evaluate(agent, "Corridor-v0", episodes: 20);    // walking straight to the goal scores 0.92–0.96
        // end snippet
        Given.Check(report.Episodes == 20, "twenty evaluated episodes");
    }
}
