using System.Diagnostics;
using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.Td3;
using RLKit.Envs;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Common;

/// <summary>Seeded learning tests: SAC, TD3 and DDPG each beat −400 on Pendulum-v1 (random play scores about −1200).</summary>
[TestFixture]
public class ContinuousLearningTests
{
    private const double Threshold = -400;
    private static readonly int[] Small = [64, 64];

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
        double mean = LearningEvaluation.GreedyMeanReturn(agent, "Pendulum-v1", 5, seed: 1000);
        TestContext.Out.WriteLine($"sac Pendulum-v1: mean {mean:F1} after 8000 steps in {seconds:F1} s");
        Assert.That(mean, Is.GreaterThanOrEqualTo(Threshold));
    }

    [Test]
    public void Td3LearnsPendulum()
    {
        var agent = Train(new Td3Estimator(new Td3Options { HiddenSizes = Small, BatchSize = 128, LearningStarts = 1000, LearningRate = 1e-3f, Seed = 1 }), 8000, out var seconds);
        double mean = LearningEvaluation.GreedyMeanReturn(agent, "Pendulum-v1", 5, seed: 1000);
        TestContext.Out.WriteLine($"td3 Pendulum-v1: mean {mean:F1} after 8000 steps in {seconds:F1} s");
        Assert.That(mean, Is.GreaterThanOrEqualTo(Threshold));
    }

    [Test]
    public void DdpgLearnsPendulum()
    {
        var agent = Train(new DdpgEstimator(new DdpgOptions { HiddenSizes = Small, BatchSize = 128, LearningStarts = 1000, LearningRate = 1e-3f, Seed = 1 }), 8000, out var seconds);
        double mean = LearningEvaluation.GreedyMeanReturn(agent, "Pendulum-v1", 5, seed: 1000);
        TestContext.Out.WriteLine($"ddpg Pendulum-v1: mean {mean:F1} after 8000 steps in {seconds:F1} s");
        Assert.That(mean, Is.GreaterThanOrEqualTo(Threshold));
    }
}
