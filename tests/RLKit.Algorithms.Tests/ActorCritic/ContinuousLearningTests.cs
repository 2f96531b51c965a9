using System.Diagnostics;
using RLKit.Algorithms.ActorCritic;
using RLKit.Envs;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.ActorCritic;

/// <summary>Seeded learning tests: SAC, TD3 and DDPG each beat −400 on Pendulum-v1 (random play scores about −1200).</summary>
[TestFixture]
public class ContinuousLearningTests
{
    private const double Threshold = -400;
    private static readonly int[] Small = [64, 64];

    /// <summary>Mean return of <paramref name="episodes"/> deterministic episodes on fresh catalog environments.</summary>
    internal static double Evaluate(IAgent agent, string id, int episodes, ulong seed = 1000)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        double total = 0;
        for (int e = 0; e < episodes; e++)
        {
            using var env = catalog.Make(id);
            var observation = env.Reset(seed + (ulong)e).Observation.ToArray();
            bool continuous = env.ActionSpace is RLKit.Spaces.Box;
            var floatAction = new float[env.ActionSpace.FlatSize];
            var intAction = new int[1];
            while (true)
            {
                var obs = Tensor.FromArray(observation, 1, observation.Length);
                double reward; bool done;
                if (continuous)
                {
                    agent.Act(obs, floatAction, deterministic: true);
                    var step = env.Step(floatAction);
                    (reward, done) = (step.Reward, step.Done);
                    observation = step.Observation.ToArray();
                }
                else
                {
                    agent.Act(obs, intAction, deterministic: true);
                    var step = env.Step(intAction[0]);
                    (reward, done) = (step.Reward, step.Done);
                    observation = step.Observation.ToArray();
                }
                total += reward;
                if (done) break;
            }
        }
        return total / episodes;
    }

    private static T Train<T>(AgentEstimator<T> estimator, int steps, out double seconds) where T : class, IAgent
    {
        using var env = StandardEnvironments.CreateCatalog().Make("Pendulum-v1");
        var clock = Stopwatch.StartNew();
        var agent = estimator.Fit(env, Budget.Steps(steps));
        seconds = clock.Elapsed.TotalSeconds;
        return agent;
    }

    [Test]
    public void SacLearnsPendulum()
    {
        var agent = Train(new SacEstimator(new SacOptions { HiddenSizes = Small, BatchSize = 128, LearningStarts = 1000, Seed = 1 }), 8000, out var seconds);
        double mean = Evaluate(agent, "Pendulum-v1", 5);
        TestContext.Out.WriteLine($"sac Pendulum-v1: mean {mean:F1} after 8000 steps in {seconds:F1} s");
        Assert.That(mean, Is.GreaterThanOrEqualTo(Threshold));
    }

    [Test]
    public void Td3LearnsPendulum()
    {
        var agent = Train(new Td3Estimator(new Td3Options { HiddenSizes = Small, BatchSize = 128, LearningStarts = 1000, LearningRate = 1e-3f, Seed = 1 }), 8000, out var seconds);
        double mean = Evaluate(agent, "Pendulum-v1", 5);
        TestContext.Out.WriteLine($"td3 Pendulum-v1: mean {mean:F1} after 8000 steps in {seconds:F1} s");
        Assert.That(mean, Is.GreaterThanOrEqualTo(Threshold));
    }

    [Test]
    public void DdpgLearnsPendulum()
    {
        var agent = Train(new DdpgEstimator(new DdpgOptions { HiddenSizes = Small, BatchSize = 128, LearningStarts = 1000, LearningRate = 1e-3f, Seed = 1 }), 8000, out var seconds);
        double mean = Evaluate(agent, "Pendulum-v1", 5);
        TestContext.Out.WriteLine($"ddpg Pendulum-v1: mean {mean:F1} after 8000 steps in {seconds:F1} s");
        Assert.That(mean, Is.GreaterThanOrEqualTo(Threshold));
    }
}
