using System.Diagnostics;
using RLKit.Algorithms.Reinforce;
using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Reinforce;

public class ReinforceTests
{
    [Test]
    public void LearnsCartPole()
    {
        var options = new ReinforceOptions { Seed = 1 };
        using var env = LearningEvaluation.MakeVector("CartPole-v1", count: 4);
        var clock = Stopwatch.StartNew();
        TrainingUpdate? final = null;
        var agent = new ReinforceEstimator(options).Fit(env, Budget.Steps(200_000).UntilMeanReturn(400, window: 20), new SynchronousProgress(u => final = u));
        clock.Stop();

        double mean = LearningEvaluation.GreedyMeanReturn(agent, "CartPole-v1", episodes: 10);
        TestContext.Out.WriteLine($"REINFORCE CartPole: greedy mean {mean:0.#} after {final!.Steps} steps, {final.Episodes} episodes, {clock.Elapsed.TotalSeconds:0.0} s ({final.StepsPerSecond:0} steps/s)");
        Assert.That(mean, Is.GreaterThanOrEqualTo(195));
    }

    [Test]
    public void APositiveAdvantageRaisesTheActionsLogProbability()
    {
        // No normalisation (one step would standardise to 0) and no baseline loss: the advantage is G − V(s).
        var options = new ReinforceOptions { Seed = 3, NormalizeAdvantages = false, ValueCoefficient = 0, MaxGradNorm = float.PositiveInfinity, LearningRate = 1e-4f };
        var agent = new ReinforceAgent(new Box(-1f, 1f, 4), new Discrete(2), options, new RandomGenerator(3));
        float[] observation = [0.1f, -0.3f, 0.2f, 0.05f];
        Span<float> baseline = stackalloc float[1];
        agent.Values(Tensor.FromArray(observation, 1, 4), baseline);

        double before = LogProb(agent, observation, 1);
        UpdateOnOneStep(agent, options, observation, action: 1, reward: baseline[0] + 1f);   // G − V = +1
        double afterPositive = LogProb(agent, observation, 1);
        Assert.That(afterPositive, Is.GreaterThan(before));

        agent.Values(Tensor.FromArray(observation, 1, 4), baseline);
        UpdateOnOneStep(agent, options, observation, action: 1, reward: baseline[0] - 1f);   // G − V = −1
        Assert.That(LogProb(agent, observation, 1), Is.LessThan(afterPositive));
    }

    [Test]
    public void ReturnsAreDiscountedAndTruncationBootstraps()
    {
        var episode = new ReinforceEstimator.EpisodeTrace();
        episode.Rewards.AddRange([1f, 2f, 3f]);
        var batch = new ReinforceEstimator.EpisodeBatch();
        batch.Append(episode, bootstrap: 0f, gamma: 0.5f);    // terminated: 1 + 0.5·(2 + 0.5·3)
        batch.Append(episode, bootstrap: 10f, gamma: 0.5f);   // truncated with V(final) = 10: 3 + 0.5·10, then back
        Assert.That(batch.Returns, Is.EqualTo(new[] { 2.75f, 3.5f, 3f, 4f, 6f, 8f }).Within(1e-6));
        Assert.That(batch.Episodes, Is.EqualTo(2));
    }

    [Test]
    public void UpdatesAfterTheConfiguredNumberOfEpisodesAndReportsLosses()
    {
        using var env = LearningEvaluation.MakeVector("CartPole-v1", count: 2);
        var updates = new List<TrainingUpdate>();
        new ReinforceEstimator(new ReinforceOptions { Seed = 2, EpisodesPerUpdate = 3 }).Fit(env, Budget.Episodes(12), new SynchronousProgress(updates.Add));
        var reports = updates.Where(u => !u.IsFinal).ToList();
        Assert.That(reports, Has.Count.InRange(3, 4));
        Assert.That(reports.Select(u => u.Episodes), Is.All.GreaterThanOrEqualTo(3));
        Assert.That(reports[^1].Losses.Keys, Is.EquivalentTo(new[] { "policy", "value", "entropy" }));
        Assert.That(reports[^1].Losses["entropy"], Is.GreaterThan(0.3).And.LessThanOrEqualTo(Math.Log(2) + 1e-6));
    }

    [Test]
    public void OptionsRoundTripThroughJson()
    {
        var options = new ReinforceOptions { Seed = 7, Gamma = 0.9f, HiddenSizes = [32, 16], Activation = RLKit.Nn.ActivationKind.ReLU };
        string json = System.Text.Json.JsonSerializer.Serialize(options);
        var back = System.Text.Json.JsonSerializer.Deserialize<ReinforceOptions>(json)!;
        Assert.That(back.Activation, Is.EqualTo(RLKit.Nn.ActivationKind.ReLU));
        Assert.That(back.HiddenSizes, Is.EqualTo(new[] { 32, 16 }));
        Assert.That(System.Text.Json.JsonSerializer.Serialize(back), Is.EqualTo(json));
    }

    [TestCase(nameof(ReinforceOptions.LearningRate))]
    [TestCase(nameof(ReinforceOptions.Gamma))]
    [TestCase(nameof(ReinforceOptions.EpisodesPerUpdate))]
    [TestCase(nameof(ReinforceOptions.ValueCoefficient))]
    [TestCase(nameof(ReinforceOptions.EntropyCoefficient))]
    [TestCase(nameof(ReinforceOptions.MaxGradNorm))]
    [TestCase(nameof(ReinforceOptions.HiddenSizes))]
    [TestCase(nameof(ReinforceOptions.InitialLogStd))]
    [TestCase(nameof(ReinforceOptions.Activation))]
    public void InvalidOptionsNameTheOption(string option)
    {
        var valid = new ReinforceOptions();
        var invalid = option switch
        {
            nameof(ReinforceOptions.LearningRate) => valid with { LearningRate = -1 },
            nameof(ReinforceOptions.Gamma) => valid with { Gamma = -0.1f },
            nameof(ReinforceOptions.EpisodesPerUpdate) => valid with { EpisodesPerUpdate = 0 },
            nameof(ReinforceOptions.ValueCoefficient) => valid with { ValueCoefficient = float.PositiveInfinity },
            nameof(ReinforceOptions.EntropyCoefficient) => valid with { EntropyCoefficient = -0.01f },
            nameof(ReinforceOptions.MaxGradNorm) => valid with { MaxGradNorm = -1 },
            nameof(ReinforceOptions.HiddenSizes) => valid with { HiddenSizes = [] },
            nameof(ReinforceOptions.Activation) => valid with { Activation = (RLKit.Nn.ActivationKind)99 },
            nameof(ReinforceOptions.InitialLogStd) => valid with { InitialLogStd = -30 },
            _ => throw new ArgumentException(option),
        };
        Assert.DoesNotThrow(() => _ = new ReinforceEstimator(valid));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ReinforceEstimator(invalid));
        Assert.That(error!.ParamName, Is.EqualTo(option));
        Assert.That(error.Message, Does.Contain(option));
    }

    private static void UpdateOnOneStep(ReinforceAgent agent, ReinforceOptions options, float[] observation, int action, float reward)
    {
        var episode = new ReinforceEstimator.EpisodeTrace();
        episode.Observations.AddRange(observation);
        episode.DiscreteActions.Add(action);
        episode.Rewards.Add(reward);
        var batch = new ReinforceEstimator.EpisodeBatch();
        batch.Append(episode, bootstrap: 0f, options.Gamma);
        var optimizer = new RLKit.Optim.Adam(agent.Parameters, options.LearningRate);
        using var scope = TensorScope.Begin();
        ReinforceEstimator.Update(agent, optimizer, batch, options, new Dictionary<string, double>());
    }

    private static double LogProb(ReinforceAgent agent, float[] observation, int action)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        return agent.Network.Policy(Tensor.FromArray(observation, 1, observation.Length)).LogProb([action]).Item();
    }
}
