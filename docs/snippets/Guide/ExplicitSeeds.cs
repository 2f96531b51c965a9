using RLKit.Algorithms.Ppo;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Snippets.Guide;

internal static class ExplicitSeeds
{
    public static void Run()
    {
        var rl = RLKitEnvs.CreateContext(seed: 1);
        // begin snippet
        using var envs = rl.Environments.MakeVector("CartPole-v1", count: 8, seed: 3);   // the environments' seed: 3
        var agent = rl.Agents.Ppo(PpoOptions.CartPole with { Seed = 7 })                   // the algorithm's seed: 7
            .Fit(envs, Budget.Steps(20_000), new Progress<TrainingUpdate>(u => Console.WriteLine(u.EnvironmentSeed)));   // 3

        EngineSettings.MaxDegreeOfParallelism = 1;   // the same bits on any core count; this only trades speed
        // end snippet
        EngineSettings.MaxDegreeOfParallelism = Environment.ProcessorCount;
        Given.Check(envs.Seed == 3, "the environments keep their seed");
    }
}
