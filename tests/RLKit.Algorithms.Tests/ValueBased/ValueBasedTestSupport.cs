using RLKit.Envs;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.ValueBased;

internal static class ValueBasedTestSupport
{
    /// <summary>Mean return of <paramref name="episodes"/> greedy episodes on fresh "CartPole-v1" environments.</summary>
    public static double GreedyCartPoleReturn(IAgent agent, int episodes, ulong seed = 1000)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        double total = 0;
        var observation = Tensor.Zeros(1, 4);
        Span<int> action = stackalloc int[1];
        for (int e = 0; e < episodes; e++)
        {
            using var env = catalog.Make("CartPole-v1");
            var (first, _) = env.Reset(seed + (ulong)e);
            first.CopyTo(observation.AsSpan());
            while (true)
            {
                agent.Act(observation, action, deterministic: true);
                var step = env.Step(action[0]);
                total += step.Reward;
                if (step.Done) break;
                step.Observation.CopyTo(observation.AsSpan());
            }
        }
        return total / episodes;
    }
}
