using System.Diagnostics;
using RLKit.Algorithms.Sac;
using RLKit.Envs;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Sac;

/// <summary>Seeded learning test of discrete SAC on CartPole-v1 (random play averages about 22).</summary>
[TestFixture]
public class DiscreteSacLearningTests
{
    /// <remarks>
    /// The target-entropy scale is 0.5 here: with two actions the paper's 0.98·log 2 sits almost at the maximum
    /// entropy, so the temperature grows without bound and the critics diverge (seen in this run: α ≈ 10⁵ by 20k steps).
    /// </remarks>
    [Test]
    public void DiscreteSacLearnsCartPole()
    {
        const int steps = 25_000;
        var options = new DiscreteSacOptions
        {
            HiddenSizes = [64, 64], BatchSize = 64, LearningStarts = 1000, UpdateFrequency = 1, Tau = 5e-3f, TargetNetworkFrequency = 1,
            PolicyLearningRate = 1e-3f, QLearningRate = 1e-3f, TargetEntropyScale = 0.5f, Seed = 1,
        };
        using var env = StandardEnvironments.CreateCatalog().Make("CartPole-v1");
        var clock = Stopwatch.StartNew();
        var agent = new DiscreteSacEstimator(options).Fit(env, Budget.Steps(steps));
        double seconds = clock.Elapsed.TotalSeconds;
        double mean = LearningEvaluation.GreedyMeanReturn(agent, "CartPole-v1", 10, seed: 1000);
        TestContext.Out.WriteLine($"sac-discrete CartPole-v1: mean {mean:F1} after {steps} steps in {seconds:F1} s");
        Assert.That(mean, Is.GreaterThanOrEqualTo(195));
    }
}
