using System.Diagnostics;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.SoftQ;
using RLKit.Envs;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.SoftQ;

public class SoftQTests
{
    [Test]
    public void SoftQLearningSolvesCartPole()
    {
        var options = new SoftQOptions { Seed = 1 };
        using var env = StandardEnvironments.CreateCatalog().Make("CartPole-v1");
        var clock = Stopwatch.StartNew();
        var agent = new SoftQEstimator(options).Fit(env, Budget.Steps(50_000));
        double trainSeconds = clock.Elapsed.TotalSeconds;
        double meanReturn = LearningEvaluation.GreedyMeanReturn(agent, "CartPole-v1", episodes: 10, seed: 1000);
        TestContext.Out.WriteLine($"sql CartPole-v1 (50000 steps): mean greedy return {meanReturn:0.0} after {trainSeconds:0.0} s");
        Assert.That(meanReturn, Is.GreaterThanOrEqualTo(195));
    }

    [TestCase(1f)]
    [TestCase(0.1f)]
    [TestCase(50f)]
    public void SoftValueMatchesADirectDoubleComputation(float beta)
    {
        float[] q = [1.5f, -0.25f, 3f, 2.9f];
        double direct = Math.Log(q.Sum(v => Math.Exp(beta * (double)v))) / beta;
        Assert.That(Boltzmann.Value(q, beta), Is.EqualTo(direct).Within(1e-5 * Math.Max(1, Math.Abs(direct))));
        Assert.That(Boltzmann.Value(q, beta), Is.GreaterThanOrEqualTo(q.Max()), "the soft value upper-bounds the max");
    }

    [Test]
    public void SoftValueIsStableWhereTheNaiveSumOverflows()
    {
        float[] q = [1000f, 999f];
        const float beta = 10f;   // exp(10 000) overflows; subtracting the max keeps it finite
        double expected = 1000 + Math.Log(1 + Math.Exp(-beta)) / beta;
        Assert.That(Boltzmann.Value(q, beta), Is.EqualTo(expected).Within(1e-3));
    }

    [Test]
    public void SoftTargetsBootstrapFromTheSoftValueUnlessTerminal()
    {
        float[] nextQ = [0f, 1f, 2f, 2f];
        var targets = new float[2];
        ValueTargets.Soft(nextQ, 2, 1f, [1f, 1f], [0.5f, 0.5f], [0f, 1f], targets);
        Assert.That(targets[0], Is.EqualTo(1 + 0.5 * Math.Log(Math.Exp(0) + Math.Exp(1))).Within(1e-6));
        Assert.That(targets[1], Is.EqualTo(1f));
    }

    [Test]
    public void BoltzmannPolicyFollowsExpBetaQ()
    {
        float[] q = [0f, MathF.Log(3f)];   // β = 1: probabilities 1/4 and 3/4
        var probabilities = new float[2];
        Boltzmann.BoltzmannProbabilities(q, 1f, probabilities);
        Assert.That(probabilities, Is.EqualTo(new[] { 0.25f, 0.75f }).Within(1e-6f));

        var rng = new RandomGenerator(11);
        int ones = 0;
        const int draws = 20_000;
        for (int i = 0; i < draws; i++) ones += Boltzmann.SampleBoltzmann(q, 1f, rng);
        Assert.That(ones / (double)draws, Is.EqualTo(0.75).Within(0.015));
    }

    [Test]
    public void DeterministicActingTakesTheArgmax()
    {
        var network = new QNetwork(3, 5, [8], dueling: false, new RandomGenerator(2));
        var agent = new SoftQAgent(network, new RLKit.Spaces.Box(-1, 1, 3), new RLKit.Spaces.Discrete(5), new SoftQOptions { InverseTemperature = 1f });
        var observations = Tensor.RandomNormal(new RandomGenerator(3), [16, 3]);
        var actions = new int[16];
        agent.Act(observations, actions, deterministic: true);
        var q = network.Forward(observations).ToArray();
        for (int i = 0; i < 16; i++) Assert.That(actions[i], Is.EqualTo(ValueTargets.Argmax(q.AsSpan(i * 5, 5))));
    }

    [Test]
    public void ABatchLargerThanTheBufferIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SoftQEstimator(new SoftQOptions { BufferSize = 10, BatchSize = 64 }))!;
        Assert.That(error.ParamName, Is.EqualTo(nameof(SoftQOptions.BatchSize)));
        Assert.That(error.Message, Does.Contain("SoftQOptions.BatchSize must be ≤ BufferSize (10); got 64."));
    }

    [TestCase(nameof(SoftQOptions.InverseTemperature))]
    [TestCase(nameof(SoftQOptions.LearningRate))]
    [TestCase(nameof(SoftQOptions.Gamma))]
    [TestCase(nameof(SoftQOptions.GradientSteps))]
    public void InvalidOptionsAreRejectedByName(string option)
    {
        var options = option switch
        {
            nameof(SoftQOptions.InverseTemperature) => new SoftQOptions { InverseTemperature = 0f },
            nameof(SoftQOptions.LearningRate) => new SoftQOptions { LearningRate = float.PositiveInfinity },
            nameof(SoftQOptions.Gamma) => new SoftQOptions { Gamma = -0.1f },
            _ => new SoftQOptions { GradientSteps = 0 },
        };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SoftQEstimator(options))!;
        Assert.That(error.ParamName, Is.EqualTo(option));
        Assert.That(error.Message, Does.Contain($"SoftQOptions.{option}"));
    }
}
