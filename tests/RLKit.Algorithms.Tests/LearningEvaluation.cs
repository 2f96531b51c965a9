using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests;

/// <summary>What the seeded learning tests share: a vector of catalog environments, and the greedy return of a trained agent.</summary>
internal static class LearningEvaluation
{
    /// <summary><paramref name="count"/> fresh catalog environments <paramref name="id"/> under SameStep autoreset.</summary>
    public static SyncVectorEnvironment MakeVector(string id, int count)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        return new SyncVectorEnvironment(Enumerable.Range(0, count).Select(_ => catalog.Make(id)).ToList(), AutoresetMode.SameStep);
    }

    /// <summary>
    /// Mean return of <paramref name="episodes"/> greedy episodes (discrete or Box actions), episode e reset with seed + e.
    /// </summary>
    public static double GreedyMeanReturn(IAgent agent, string id, int episodes, ulong seed = 10_000)
    {
        using IEnvironment env = StandardEnvironments.CreateCatalog().Make(id);
        var observation = Tensor.Zeros(1, env.ObservationSpace.FlatSize);
        bool continuous = env.ActionSpace is Box;
        var intAction = new int[1];
        var floatAction = new float[continuous ? env.ActionSpace.FlatSize : 0];
        double total = 0;
        for (int episode = 0; episode < episodes; episode++)
        {
            env.Reset(seed + (ulong)episode).Observation.CopyTo(observation.AsSpan());
            while (true)
            {
                StepResult step;
                if (continuous)
                {
                    agent.Act(observation, floatAction, deterministic: true);
                    step = env.Step(floatAction);
                }
                else
                {
                    agent.Act(observation, intAction, deterministic: true);
                    step = env.Step(intAction[0]);
                }
                total += step.Reward;
                if (step.Done) break;
                step.Observation.CopyTo(observation.AsSpan());
            }
        }
        return total / episodes;
    }
}
