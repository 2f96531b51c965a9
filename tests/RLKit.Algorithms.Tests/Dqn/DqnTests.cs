using System.Diagnostics;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.Dqn;
using RLKit.Data;
using RLKit.Envs;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Dqn;

public class DqnTests
{
    private static (DqnAgent Agent, double MeanReturn) TrainOnCartPole(DqnOptions options, long steps)
    {
        using var env = StandardEnvironments.CreateCatalog().Make("CartPole-v1");
        var clock = Stopwatch.StartNew();
        var agent = new DqnEstimator(options).Fit(env, Budget.Steps(steps));
        double trainSeconds = clock.Elapsed.TotalSeconds;
        double meanReturn = LearningEvaluation.GreedyMeanReturn(agent, "CartPole-v1", episodes: 10, seed: 1000);
        TestContext.Out.WriteLine($"dqn CartPole-v1 ({steps} steps): mean greedy return {meanReturn:0.0} after {trainSeconds:0.0} s");
        return (agent, meanReturn);
    }

    [Test]
    public void DqnSolvesCartPole()
    {
        var (_, meanReturn) = TrainOnCartPole(new DqnOptions { Seed = 1 }, steps: 50_000);
        Assert.That(meanReturn, Is.GreaterThanOrEqualTo(195));
    }

    [Test]
    public void DqnWithEveryExtensionSolvesCartPole()
    {
        var options = new DqnOptions
        {
            Dueling = true,
            DoubleDqn = true,
            NStep = 3,
            Prioritized = new PrioritizedReplayOptions { BetaAnnealingSamples = 10_000 },
            Seed = 2,
        };
        var (agent, meanReturn) = TrainOnCartPole(options, steps: 30_000);
        Assert.That(agent.QNetwork.IsDueling, Is.True);
        Assert.That(meanReturn, Is.GreaterThanOrEqualTo(195));
    }

    [Test]
    public void AnUntrainedAgentFailsTheEvaluation()
    {
        // The learning tests' threshold must be out of reach without learning.
        var (_, meanReturn) = TrainOnCartPole(new DqnOptions { Seed = 1 }, steps: 10);
        Assert.That(meanReturn, Is.LessThan(195));
    }

    [Test]
    public void EpsilonFallsLinearlyOverTheExplorationFraction()
    {
        var options = new DqnOptions { ExplorationInitialEpsilon = 1f, ExplorationFinalEpsilon = 0.1f, ExplorationFraction = 0.5f };
        Assert.That(DqnEstimator.Epsilon(options, 0.0), Is.EqualTo(1f).Within(1e-6));
        Assert.That(DqnEstimator.Epsilon(options, 0.25), Is.EqualTo(0.55f).Within(1e-6));
        Assert.That(DqnEstimator.Epsilon(options, 0.5), Is.EqualTo(0.1f).Within(1e-6));
        Assert.That(DqnEstimator.Epsilon(options, 0.9), Is.EqualTo(0.1f).Within(1e-6));
    }

    [Test]
    public void DuelingAggregationIsValuePlusCentredAdvantage()
    {
        var value = Tensor.FromArray([2f, -1f], 2, 1);
        var advantage = Tensor.FromArray([1f, 2f, 3f, 0f, 0f, 6f], 2, 3);
        var q = QNetwork.DuelingAggregate(value, advantage);
        // Row 0: mean A = 2 → 2 + (−1, 0, 1). Row 1: mean A = 2 → −1 + (−2, −2, 4).
        Assert.That(q.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, -3f, -3f, 3f }).Within(1e-6f));
    }

    [Test]
    public void DuelingNetworkOutputsOneQPerActionAndItsAdvantagesAreCentred()
    {
        var network = new QNetwork(4, 3, [8], dueling: true, new RandomGenerator(3));
        var q = network.Forward(Tensor.RandomNormal(new RandomGenerator(4), [5, 4]));
        Assert.That(q.ShapeArray(), Is.EqualTo(new[] { 5, 3 }));
        Assert.That(network.StateDict().Keys, Does.Contain("value.weight").And.Contain("advantage.weight"));
    }

    [Test]
    public void DoubleDqnTargetUsesTheOnlineArgmaxAndTheTargetValue()
    {
        // Two transitions, three actions. Online picks action 2 (row 0) and action 0 (row 1); the target network
        // would have picked others, with larger values, which plain DQN uses instead.
        float[] nextTargetQ = [1f, 5f, 2f, /* row 1 */ 4f, 7f, 0f];
        float[] nextOnlineQ = [0f, 1f, 3f, /* row 1 */ 9f, 1f, 1f];
        float[] rewards = [1f, 0.5f];
        float[] discounts = [0.9f, 0.81f];
        float[] dones = [0f, 0f];
        var targets = new float[2];

        ValueTargets.Dqn(nextTargetQ, nextOnlineQ, 3, rewards, discounts, dones, targets);
        Assert.That(targets, Is.EqualTo(new[] { 1f + 0.9f * 2f, 0.5f + 0.81f * 4f }).Within(1e-6f));

        ValueTargets.Dqn(nextTargetQ, default, 3, rewards, discounts, dones, targets);
        Assert.That(targets, Is.EqualTo(new[] { 1f + 0.9f * 5f, 0.5f + 0.81f * 7f }).Within(1e-6f));

        // A terminal transition does not bootstrap.
        ValueTargets.Dqn(nextTargetQ, nextOnlineQ, 3, rewards, discounts, [1f, 0f], targets);
        Assert.That(targets[0], Is.EqualTo(1f));
    }

    [Test]
    public void GreedyActingTakesTheArgmaxAndStochasticActingExplores()
    {
        var network = new QNetwork(2, 4, [8], dueling: false, new RandomGenerator(5));
        var agent = new DqnAgent(network, new RLKit.Spaces.Box(-1, 1, 2), new RLKit.Spaces.Discrete(4), new DqnOptions { ExplorationFinalEpsilon = 1f });
        var observations = Tensor.RandomNormal(new RandomGenerator(6), [64, 2]);
        var greedy = new int[64];
        agent.Act(observations, greedy, deterministic: true);
        var q = network.Forward(observations).ToArray();
        for (int i = 0; i < 64; i++) Assert.That(greedy[i], Is.EqualTo(ValueTargets.Argmax(q.AsSpan(i * 4, 4))));

        var explored = new int[64];
        agent.Act(observations, explored, deterministic: false, new RandomGenerator(7));
        Assert.That(explored.Distinct().Count(), Is.EqualTo(4), "ε = 1 acts uniformly at random");
        Assert.That(() => agent.Act(observations, new int[3], deterministic: true), Throws.ArgumentException.With.Message.Contains("one entry per observation"));
    }

    [TestCase(nameof(DqnOptions.LearningRate))]
    [TestCase(nameof(DqnOptions.BatchSize))]
    [TestCase(nameof(DqnOptions.Gamma))]
    [TestCase(nameof(DqnOptions.Tau))]
    [TestCase(nameof(DqnOptions.ExplorationFraction))]
    [TestCase(nameof(DqnOptions.ExplorationFinalEpsilon))]
    [TestCase(nameof(DqnOptions.TrainFrequency))]
    [TestCase(nameof(DqnOptions.NStep))]
    [TestCase(nameof(DqnOptions.HiddenSizes))]
    public void InvalidOptionsAreRejectedByName(string option)
    {
        var options = option switch
        {
            nameof(DqnOptions.LearningRate) => new DqnOptions { LearningRate = 0f },
            nameof(DqnOptions.BatchSize) => new DqnOptions { BatchSize = 0 },
            nameof(DqnOptions.Gamma) => new DqnOptions { Gamma = 1.5f },
            nameof(DqnOptions.Tau) => new DqnOptions { Tau = 0f },
            nameof(DqnOptions.ExplorationFraction) => new DqnOptions { ExplorationFraction = 0f },
            nameof(DqnOptions.ExplorationFinalEpsilon) => new DqnOptions { ExplorationFinalEpsilon = float.NaN },
            nameof(DqnOptions.TrainFrequency) => new DqnOptions { TrainFrequency = 0 },
            nameof(DqnOptions.NStep) => new DqnOptions { NStep = 0 },
            _ => new DqnOptions { HiddenSizes = [], Dueling = true },
        };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DqnEstimator(options))!;
        Assert.That(error.ParamName, Is.EqualTo(option));
        Assert.That(error.Message, Does.Contain($"DqnOptions.{option}"));
    }

    [Test]
    public void ABatchLargerThanTheBufferIsRejectedNamingBothOptions()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DqnEstimator(new DqnOptions { BufferSize = 100, BatchSize = 101 }))!;
        Assert.That(error.ParamName, Is.EqualTo(nameof(DqnOptions.BatchSize)));
        Assert.That(error.Message, Does.Contain("DqnOptions.BatchSize must be ≤ BufferSize (100); got 101."));
        Assert.DoesNotThrow(() => new DqnEstimator(new DqnOptions { BufferSize = 100, BatchSize = 100 }));
    }

    [Test]
    public void AFinalEpsilonAboveTheInitialOneIsRejectedNamingBothOptions()
    {
        var options = new DqnOptions { ExplorationInitialEpsilon = 0.5f, ExplorationFinalEpsilon = 0.8f };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DqnEstimator(options))!;
        Assert.That(error.ParamName, Is.EqualTo(nameof(DqnOptions.ExplorationFinalEpsilon)));
        Assert.That(error.Message, Does.Contain("DqnOptions.ExplorationFinalEpsilon must be ≤ ExplorationInitialEpsilon (0.5); got 0.8."));
        Assert.DoesNotThrow(() => new DqnEstimator(new DqnOptions { ExplorationInitialEpsilon = 0.3f, ExplorationFinalEpsilon = 0.3f }));
    }

    [Test]
    public void InvalidPrioritizedReplayOptionsAreRejectedWhenTheEstimatorIsCreated()
    {
        var options = new DqnOptions { Prioritized = new PrioritizedReplayOptions { Alpha = 2f } };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DqnEstimator(options))!;
        Assert.That(error.ParamName, Is.EqualTo(nameof(PrioritizedReplayOptions.Alpha)));
    }
}
