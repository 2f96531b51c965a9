using RLKit.Algorithms.Common;
using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.Td3;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.Common;

/// <summary>Unit tests of the actor-critic pieces: squashed log-probabilities, temperature, smoothing, noise, Polyak, options.</summary>
[TestFixture]
public class ActorCriticPartsTests
{
    [Test]
    public void SacActorLogProbIncludesTanhAndRescaleCorrection()
    {
        var rng = new RandomGenerator(3);
        var actor = new TanhGaussianActor(3, new Box(-2f, 2f, 2), [8], rng);
        var observations = Tensor.FromArray([0.1f, -0.4f, 0.7f, 1.2f, 0.3f, -0.9f], 2, 3);
        var noise = Tensor.FromArray([0.5f, -1.5f, 2.0f, 0.1f], 2, 2);

        var (action, logProb) = actor.Sample(observations, noise);
        var (mean, logStd) = actor.Forward(observations);

        for (int b = 0; b < 2; b++)
        {
            double expected = 0;
            for (int d = 0; d < 2; d++)
            {
                double mu = mean[b, d], ls = logStd[b, d], eps = noise[b, d];
                double u = mu + Math.Exp(ls) * eps;
                double gaussian = -0.5 * eps * eps - ls - 0.5 * Math.Log(2 * Math.PI);
                // CleanRL: log π −= log(scale·(1 − tanh²u)), scale = 2 for the box [−2, 2].
                expected += gaussian - Math.Log(2 * (1 - Math.Tanh(u) * Math.Tanh(u)));
                Assert.That(action[b, d], Is.EqualTo(2 * Math.Tanh(u)).Within(1e-5));
                Assert.That(ls, Is.InRange(TanhGaussianActor.LogStdMin, TanhGaussianActor.LogStdMax));
            }
            Assert.That(logProb[b], Is.EqualTo(expected).Within(1e-4));
        }
    }

    [Test]
    public void SacActorLossGradientFlowsThroughLogProb()
    {
        // With the critic term removed, the actor loss α·log π must push the log-std up (more entropy).
        var rng = new RandomGenerator(5);
        var actor = new TanhGaussianActor(2, new Box(-1f, 1f, 1), [8], rng);
        var observations = Tensor.FromArray([0.2f, -0.3f], 1, 2);
        var optimizer = new Adam(actor.Parameters(), 1e-2f);
        float before = actor.Forward(observations).LogStd.Item();
        for (int i = 0; i < 50; i++)
        {
            using var scope = TensorScope.Begin();
            var (_, logProb) = actor.Sample(observations, Tensor.RandomNormal(rng, [1, 1]));
            optimizer.ZeroGrad();
            logProb.Mean().Backward();
            optimizer.Step();
        }
        Assert.That(actor.Forward(observations).LogStd.Item(), Is.GreaterThan(before));
    }

    [TestCase(0f, 1f, true)]    // entropy 0 below the target 1: α grows
    [TestCase(0f, -5f, false)]  // entropy 0 above the target −5: α shrinks
    public void TemperatureMovesTowardsTargetEntropy(float logProbValue, float targetEntropy, bool shouldGrow)
    {
        var logAlpha = OffPolicyHelpers.NewLogAlpha(0f);
        var optimizer = new Adam([logAlpha], 1e-2f);
        var logProbs = Tensor.Full(logProbValue, 16);
        var loss = OffPolicyHelpers.TemperatureLoss(logAlpha, logProbs, targetEntropy);
        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
        float after = logAlpha.AsReadOnlySpan()[0];
        if (shouldGrow) Assert.That(after, Is.GreaterThan(0f));
        else Assert.That(after, Is.LessThan(0f));
    }

    [Test]
    public void TargetSmoothingNoiseIsClippedToTheScaledRange()
    {
        var rescaler = new ActionRescaler(new Box(-2f, 2f, 3));
        var noise = DeterministicPolicyGradient.ClippedTargetNoise(new RandomGenerator(1), 500, rescaler, std: 5f, clip: 0.5f);
        var values = noise.AsReadOnlySpan();
        float maxAbs = 0;
        foreach (var v in values) maxAbs = Math.Max(maxAbs, Math.Abs(v));
        // clip 0.5 of the half-range 2 bounds the noise at 1; σ = 5 makes the clip bind on most draws.
        Assert.That(maxAbs, Is.EqualTo(1f).Within(1e-6));
        Assert.That(values.ToArray().Count(v => Math.Abs(v) < 1f), Is.GreaterThan(0));
    }

    [Test]
    public void OrnsteinUhlenbeckNoiseHasItsStationaryStatistics()
    {
        var noise = new OrnsteinUhlenbeckActionNoise(1, 1, sigma: 0.3f, new RandomGenerator(11));
        var sample = new float[1];
        for (int i = 0; i < 5_000; i++) noise.Sample(sample);   // burn-in past the 1/(θ·dt) ≈ 667-step correlation time
        const int n = 400_000;
        double sum = 0, sumSq = 0, lagProduct = 0, previous = 0;
        for (int i = 0; i < n; i++)
        {
            noise.Sample(sample);
            double x = sample[0];
            sum += x;
            sumSq += x * x;
            if (i > 0) lagProduct += x * previous;
            previous = x;
        }
        double mean = sum / n, variance = sumSq / n - mean * mean, std = Math.Sqrt(variance);
        double autocorrelation = (lagProduct / (n - 1) - mean * mean) / variance;
        Assert.That(noise.StationaryStd, Is.EqualTo(0.3 / Math.Sqrt(2 * 0.15)).Within(0.01));
        Assert.That(std, Is.EqualTo(noise.StationaryStd).Within(0.15 * noise.StationaryStd));
        Assert.That(Math.Abs(mean), Is.LessThan(0.3 * noise.StationaryStd));
        Assert.That(autocorrelation, Is.EqualTo(1 - 0.15 * 0.01).Within(1e-3));

        noise.Reset(0);
        noise.Sample(sample);
        Assert.That(Math.Abs(sample[0]), Is.LessThan(0.3 * Math.Sqrt(0.01) * 5), "after Reset the process restarts at 0");
    }

    [Test]
    public void GaussianNoiseHasTheRequestedStd()
    {
        var noise = new GaussianActionNoise(0.1f, new RandomGenerator(2));
        var values = new float[100_000];
        noise.Sample(values);
        double mean = values.Average(v => (double)v);
        double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        Assert.That(std, Is.EqualTo(0.1).Within(0.002));
        Assert.That(mean, Is.EqualTo(0).Within(0.002));
    }

    [Test]
    public void SoftUpdateMovesTargetsByTau()
    {
        var rng = new RandomGenerator(4);
        var source = new Mlp([2, 3, 1], rng);
        var target = new Mlp([2, 3, 1], rng);
        foreach (var p in source.Parameters()) p.AsSpan().Fill(1f);
        foreach (var p in target.Parameters()) p.AsSpan().Fill(0f);
        OffPolicyHelpers.SoftUpdate(target, source, 5e-3f);
        OffPolicyHelpers.SoftUpdate(target, source, 5e-3f);
        double expected = 1 - Math.Pow(1 - 5e-3, 2);
        foreach (var p in target.Parameters())
            foreach (var v in p.AsReadOnlySpan()) Assert.That(v, Is.EqualTo(expected).Within(1e-6));
        foreach (var p in source.Parameters())
            foreach (var v in p.AsReadOnlySpan()) Assert.That(v, Is.EqualTo(1f), "the source is untouched");
    }

    [Test]
    public void DiscreteTargetEntropyIsAFractionOfTheMaximum()
    {
        Assert.That(DiscreteSacEstimator.TargetEntropy(2, 0.98f), Is.EqualTo(0.98 * Math.Log(2)).Within(1e-6));
        Assert.That(DiscreteSacEstimator.TargetEntropy(6, 0.5f), Is.EqualTo(0.5 * Math.Log(6)).Within(1e-6));
    }

    private static IEnumerable<TestCaseData> InvalidOptions()
    {
        yield return new TestCaseData((Action)(() => new SacEstimator(new SacOptions { Gamma = 1.5f })), "Gamma").SetName("Sac Gamma");
        yield return new TestCaseData((Action)(() => new SacEstimator(new SacOptions { Tau = 0f })), "Tau").SetName("Sac Tau");
        yield return new TestCaseData((Action)(() => new SacEstimator(new SacOptions { BatchSize = 0 })), "BatchSize").SetName("Sac BatchSize");
        yield return new TestCaseData((Action)(() => new SacEstimator(new SacOptions { PolicyFrequency = 0 })), "PolicyFrequency").SetName("Sac PolicyFrequency");
        yield return new TestCaseData((Action)(() => new SacEstimator(new SacOptions { HiddenSizes = [] })), "HiddenSizes").SetName("Sac HiddenSizes");
        yield return new TestCaseData((Action)(() => new SacEstimator(new SacOptions { TargetEntropy = float.NaN })), "TargetEntropy").SetName("Sac TargetEntropy");
        yield return new TestCaseData((Action)(() => new Td3Estimator(new Td3Options { TargetNoiseClip = -1f })), "TargetNoiseClip").SetName("Td3 TargetNoiseClip");
        yield return new TestCaseData((Action)(() => new Td3Estimator(new Td3Options { PolicyDelay = 0 })), "PolicyDelay").SetName("Td3 PolicyDelay");
        yield return new TestCaseData((Action)(() => new Td3Estimator(new Td3Options { LearningRate = 0f })), "LearningRate").SetName("Td3 LearningRate");
        yield return new TestCaseData((Action)(() => new DdpgEstimator(new DdpgOptions { ExplorationNoiseStd = -0.1f })), "ExplorationNoiseStd").SetName("Ddpg ExplorationNoiseStd");
        yield return new TestCaseData((Action)(() => new DdpgEstimator(new DdpgOptions { ExplorationNoise = (ExplorationNoiseKind)7 })), "ExplorationNoise").SetName("Ddpg ExplorationNoise");
        yield return new TestCaseData((Action)(() => new DiscreteSacEstimator(new DiscreteSacOptions { TargetEntropyScale = 1.5f })), "TargetEntropyScale").SetName("DiscreteSac TargetEntropyScale");
        yield return new TestCaseData((Action)(() => new DiscreteSacEstimator(new DiscreteSacOptions { UpdateFrequency = 0 })), "UpdateFrequency").SetName("DiscreteSac UpdateFrequency");
    }

    [TestCaseSource(nameof(InvalidOptions))]
    public void InvalidOptionsNameTheOption(Action create, string option)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => create())!;
        Assert.That(error.ParamName, Is.EqualTo(option));
        Assert.That(error.Message, Does.Contain(option));
    }

    [Test]
    public void DefaultOptionsAreValid()
    {
        Assert.DoesNotThrow(() => new SacEstimator());
        Assert.DoesNotThrow(() => new Td3Estimator());
        Assert.DoesNotThrow(() => new DdpgEstimator());
        Assert.DoesNotThrow(() => new DiscreteSacEstimator());
    }

    [Test]
    public void EstimatorsRejectTheWrongActionSpace()
    {
        using var pendulum = RLKit.Envs.StandardEnvironments.CreateCatalog().Make("Pendulum-v1");
        using var cartPole = RLKit.Envs.StandardEnvironments.CreateCatalog().Make("CartPole-v1");
        Assert.Throws<ArgumentException>(() => new SacEstimator().Fit(cartPole, RLKit.Training.Budget.Steps(10)));
        Assert.Throws<ArgumentException>(() => new Td3Estimator().Fit(cartPole, RLKit.Training.Budget.Steps(10)));
        Assert.Throws<ArgumentException>(() => new DiscreteSacEstimator().Fit(pendulum, RLKit.Training.Budget.Steps(10)));
    }

    [Test]
    public void AgentsActWithinTheBoxAndCheckShapes()
    {
        using var env = RLKit.Envs.StandardEnvironments.CreateCatalog().Make("Pendulum-v1");
        var agent = new SacEstimator(new SacOptions { HiddenSizes = [8], LearningStarts = 10, BatchSize = 4 }).Fit(env, RLKit.Training.Budget.Steps(30));
        var observations = Tensor.RandomNormal(new RandomGenerator(1), [5, 3]);
        var actions = new float[5];
        agent.Act(observations, actions, deterministic: false, new RandomGenerator(2));
        Assert.That(actions, Has.All.InRange(-2f, 2f));
        Assert.Throws<ArgumentException>(() => agent.Act(observations, new float[4], deterministic: true));
        Assert.Throws<NotSupportedException>(() => agent.Act(observations, new int[5], deterministic: true));
    }
}
