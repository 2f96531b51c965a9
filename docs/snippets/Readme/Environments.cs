using RLKit.Environments.Vector;
using RLKit.Envs;

namespace RLKit.Snippets.Readme;

internal static class Environments
{
    public static void Run()
    {
        // begin snippet
        var catalog = StandardEnvironments.CreateCatalog();   // ids: catalog.Environments, catalog.TaskSets
        using var env = catalog.Make("CartPole-v1");
        var (observation, info) = env.Reset(seed: 42);
        var step = env.Step(1);                                // step.Reward, step.Terminated, step.Truncated

        using var vector = new SyncVectorEnvironment(
            Enumerable.Range(0, 8).Select(_ => catalog.Make("CartPole-v1")).ToList(), AutoresetMode.SameStep);
        vector.Reset(seed: 1);
        var batch = vector.Step(new int[8]);                   // batch.Observations is one [8, 4] tensor, reused every step
        // end snippet
    }
}
