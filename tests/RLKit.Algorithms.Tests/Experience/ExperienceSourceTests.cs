using System.Diagnostics;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.SoftQ;
using RLKit.Algorithms.Td3;
using RLKit.Data;
using RLKit.Training;
using RLKit.Training.Experience;

namespace RLKit.Algorithms.Tests.Experience;

/// <summary>
/// Off-policy learning from an <see cref="IExperienceSource"/> without Orleans: an in-memory source whose "workers" are
/// local vector environments stepped in turn, so batches of different streams interleave.
/// </summary>
[TestFixture]
public sealed class ExperienceSourceTests
{
    [Test]
    public void DqnLearnsCartPoleFromInterleavedBatches()
    {
        // 4 groups × 2 environments: a vector step is 8 transitions, so TrainFrequency 32 keeps the local test's
        // 128 regressions per 256 transitions.
        using var source = new LocalExperienceSource("CartPole-v1", groups: 4, environmentsPerGroup: 2, stepsPerBatch: 32, seed: 1);
        var clock = Stopwatch.StartNew();
        var agent = new DqnEstimator(new DqnOptions { TrainFrequency = 32, Seed = 1 }).Fit(source, Budget.Steps(50_000));
        double mean = LearningEvaluation.GreedyMeanReturn(agent, "CartPole-v1", episodes: 10, seed: 1000);
        TestContext.Out.WriteLine($"dqn from a source: mean greedy return {mean:0.0} after {clock.Elapsed.TotalSeconds:0.0} s, {source.Published.Count} publishes");
        Assert.That(mean, Is.GreaterThanOrEqualTo(195));
    }

    [Test]
    public void SacLearnsPendulumFromInterleavedBatches()
    {
        using var source = new LocalExperienceSource("Pendulum-v1", groups: 2, environmentsPerGroup: 1, stepsPerBatch: 50, seed: 1);
        var clock = Stopwatch.StartNew();
        var options = new SacOptions { HiddenSizes = [64, 64], BatchSize = 128, LearningStarts = 1000, Seed = 1 };
        var agent = new SacEstimator(options).Fit(source, Budget.Steps(16_000));
        double mean = LearningEvaluation.GreedyMeanReturn(agent, "Pendulum-v1", 5, seed: 1000);
        TestContext.Out.WriteLine($"sac from a source: mean {mean:F1} after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.That(mean, Is.GreaterThanOrEqualTo(-400));
    }

    [Test]
    public void ExplorationFollowsTheAlgorithmsSchedule()
    {
        using var dqnSource = new LocalExperienceSource("CartPole-v1", groups: 2, environmentsPerGroup: 2, stepsPerBatch: 16, seed: 3);
        new DqnEstimator(new DqnOptions { LearningStarts = 200, TrainFrequency = 16, GradientSteps = 10, Seed = 3 })
            .Fit(dqnSource, Budget.Steps(4000), options: new ExperienceSourceOptions { PublishInterval = 50 });
        var epsilons = dqnSource.Published.Select(b => b.Epsilon).ToArray();
        using var sacSource = new LocalExperienceSource("Pendulum-v1", groups: 2, environmentsPerGroup: 1, stepsPerBatch: 20, seed: 3);
        new SacEstimator(new SacOptions { HiddenSizes = [16], BatchSize = 32, LearningStarts = 200, Seed = 3 })
            .Fit(sacSource, Budget.Steps(600), options: new ExperienceSourceOptions { PublishInterval = 40 });
        var kinds = sacSource.Published.Select(b => b.Kind).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(dqnSource.Published, Has.All.Property(nameof(ExplorationBehavior.Kind)).EqualTo(ExplorationKind.EpsilonGreedy));
            Assert.That(epsilons[0], Is.EqualTo(1f), "DQN's first publish carries the initial ε");
            Assert.That(epsilons, Is.Ordered.Descending, "ε only falls");
            Assert.That(epsilons[^1], Is.LessThan(0.5f), "later publishes carry the annealed ε");
            Assert.That(epsilons.Length, Is.GreaterThan(5), "a publish every 50 gradient steps");
            Assert.That(kinds[0], Is.EqualTo(ExplorationKind.UniformRandom), "SAC acts at random until learning starts");
            Assert.That(kinds[1], Is.EqualTo(ExplorationKind.PolicySampling), "then samples its policy, published as soon as learning starts");
            Assert.That(kinds.Skip(1), Has.All.EqualTo(ExplorationKind.PolicySampling));
            // The first two, then one per 40 of the 200 gradient steps (a vector step is 2 transitions), none after the last batch.
            Assert.That(kinds.Length, Is.EqualTo(6));
        });
    }

    [Test]
    public void NStepWindowsStayWithinOneStreamsRun()
    {
        // Stream 0 always pays 1, stream 1 pays 100: a 3-step window that crossed streams would sum both.
        var source = new ScriptedSource(streams: 2, batches:
        [
            Batch(firstStream: 0, steps: 4, reward: 1f),
            Batch(firstStream: 1, steps: 4, reward: 100f),
            Batch(firstStream: 0, steps: 4, reward: 1f),
        ]);
        var monitor = new TrainingMonitor("dqn", Budget.Steps(1000), envCount: 2);
        var feed = new ExperienceFeed(source, monitor, new ExperienceSourceOptions(), "dqn");
        var buffer = feed.CreateBuffer(ActionLayout.Discrete(2), new ReplayBufferOptions { Capacity = 100, NStep = 3, Gamma = 1f });
        int vectorSteps = 0;
        feed.Run(buffer, new NullAgent(source), () => ExplorationBehavior.PolicySampling, () => { vectorSteps++; return null; }, 0);
        var batch = buffer.Sample(512, new Tensors.RandomGenerator(1));
        var sums = batch.Rewards.AsReadOnlySpan().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(buffer.Count, Is.EqualTo(12));
            Assert.That(sums.Where(r => r < 50), Has.All.AnyOf(1f, 2f, 3f), "stream 0's windows hold only its own rewards");
            Assert.That(sums.Where(r => r >= 50), Has.All.AnyOf(100f, 200f, 300f), "stream 1's windows hold only its own rewards");
            Assert.That(sums, Has.Some.EqualTo(3f).And.Some.EqualTo(300f), "full 3-step windows inside a run");
            Assert.That(vectorSteps, Is.EqualTo(6), "12 transitions over 2 streams are 6 vector steps");
            Assert.That(monitor.Steps, Is.EqualTo(12), "the budget counts transitions received");
            Assert.That(monitor.StopReason, Is.EqualTo("the experience source ended"));
        });
    }

    [Test]
    public void CancellingWhileWaitingForABatchStopsAsCancelled()
    {
        using var cancel = new CancellationTokenSource();
        // The source's wait ends because the token is cancelled, as a remote stream's does.
        var source = new ScriptedSource(streams: 1, batches: [Batch(firstStream: 0, steps: 4, reward: 1f)]) { OnEnd = cancel.Cancel };
        var monitor = new TrainingMonitor("dqn", Budget.Steps(1000), envCount: 1, cancellationToken: cancel.Token);
        var feed = new ExperienceFeed(source, monitor, new ExperienceSourceOptions(), "dqn");
        var buffer = feed.CreateBuffer(ActionLayout.Discrete(2), new ReplayBufferOptions { Capacity = 100 });
        feed.Run(buffer, new NullAgent(source), () => ExplorationBehavior.PolicySampling, () => null, 0);
        Assert.That(monitor.StopReason, Is.EqualTo("cancelled"));
    }

    [Test]
    public void BadArgumentsAreRefusedClearly()
    {
        using var cartPole = new LocalExperienceSource("CartPole-v1", groups: 1, environmentsPerGroup: 1, stepsPerBatch: 4, seed: 0);
        using var pendulum = new LocalExperienceSource("Pendulum-v1", groups: 1, environmentsPerGroup: 1, stepsPerBatch: 4, seed: 0);
        var interval = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new DqnEstimator().Fit(cartPole, Budget.Steps(10), options: new ExperienceSourceOptions { PublishInterval = 0 }));
        Assert.That(interval!.Message, Does.Contain("PublishInterval").And.Contain("[1, 1000000]"));
        Assert.Throws<ArgumentNullException>(() => new DqnEstimator().Fit((IExperienceSource)null!, Budget.Steps(10)));
        var wrongSpace = Assert.Throws<ArgumentException>(() => new SacEstimator().Fit(cartPole, Budget.Steps(10)));
        Assert.That(wrongSpace!.ParamName, Is.EqualTo("source"));
        Assert.That(wrongSpace.Message, Does.Contain("Box"));
        Assert.That(Assert.Throws<ArgumentException>(() => new DqnEstimator().Fit(pendulum, Budget.Steps(10)))!.Message, Does.Contain("Discrete"));
        Assert.That(Assert.Throws<NotSupportedException>(() =>
            new Td3Estimator(new Td3Options { ExplorationNoise = ExplorationNoiseKind.OrnsteinUhlenbeck }).Fit(pendulum, Budget.Steps(10)))!.Message,
            Does.Contain("Gaussian"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => ExplorationBehavior.EpsilonGreedy(1.5f))!.ParamName, Is.EqualTo("epsilon"));
        var badBatch = new ScriptedSource(streams: 2, batches: [Batch(firstStream: 1, steps: 2, reward: 1f, streams: 2)]);
        var outOfRange = Assert.Throws<ArgumentException>(() => new DqnEstimator().Fit(badBatch, Budget.Steps(100)));
        Assert.That(outOfRange!.Message, Does.Contain("streams [1, 2]").And.Contain("[0, 1]"));
    }

    [Test]
    public void SoftQTd3AndDdpgRunOnASourceToTheirBudget()
    {
        using var cartPole = new LocalExperienceSource("CartPole-v1", groups: 2, environmentsPerGroup: 1, stepsPerBatch: 8, seed: 0);
        using var pendulum = new LocalExperienceSource("Pendulum-v1", groups: 2, environmentsPerGroup: 1, stepsPerBatch: 8, seed: 0);
        var updates = new List<TrainingUpdate>();
        var progress = new SynchronousProgress(updates.Add);
        new SoftQEstimator(new SoftQOptions { LearningStarts = 50, TrainFrequency = 4, GradientSteps = 2 }).Fit(cartPole, Budget.Steps(400), progress);
        new Td3Estimator(new Td3Options { HiddenSizes = [16], BatchSize = 16, LearningStarts = 50 }).Fit(pendulum, Budget.Steps(204), progress);
        new DdpgEstimator(new DdpgOptions { HiddenSizes = [16], BatchSize = 16, LearningStarts = 50 }).Fit(pendulum, Budget.Steps(200), progress);
        var finals = updates.Where(u => u.IsFinal).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(finals.Select(u => u.Algorithm), Is.EqualTo(new[] { "sql", "td3", "ddpg" }));
            Assert.That(finals.Select(u => u.Steps), Is.EqualTo(new long[] { 400, 208, 200 }), "each stops at the first batch that reaches its budget");
            Assert.That(updates.Where(u => !u.IsFinal), Has.All.Matches<TrainingUpdate>(u => u.Losses.ContainsKey("published_version") && u.Losses["policy_lag"] >= 0));
        });
    }

    private static ExperienceBatch Batch(int firstStream, int steps, float reward, int streams = 1) => new(
        firstStream, streams, steps, policyVersion: 0, restarted: false,
        new float[steps * streams * 4], new int[steps * streams], ReadOnlyMemory<float>.Empty,
        Enumerable.Repeat(reward, steps * streams).ToArray(), new float[steps * streams * 4], new bool[steps * streams], new bool[steps * streams]);

    /// <summary>A source that hands out fixed batches of a 4-float observation, 2-action space, then ends.</summary>
    private sealed class ScriptedSource(int streams, ExperienceBatch[] batches) : IExperienceSource
    {
        private int _next;

        public Spaces.Space ObservationSpace { get; } = new Spaces.Box(-1f, 1f, 4);

        public Spaces.Space ActionSpace { get; } = new Spaces.Discrete(2);

        public int StreamCount => streams;

        public long Publish(IAgent policy, ExplorationBehavior behavior) => 0;

        /// <summary>Runs when the batches are used up, before Receive answers null.</summary>
        public Action? OnEnd { get; init; }

        public ExperienceBatch? Receive(CancellationToken cancellationToken)
        {
            if (_next < batches.Length) return batches[_next++];
            OnEnd?.Invoke();
            return null;
        }
    }

    /// <summary>An agent that is never asked to act (the scripted source ignores it).</summary>
    private sealed class NullAgent(IExperienceSource source) : IAgent
    {
        public string Algorithm => "none";

        public Spaces.Space ObservationSpace => source.ObservationSpace;

        public Spaces.Space ActionSpace => source.ActionSpace;

        public void Act(Tensors.Tensor observations, Span<int> actions, bool deterministic, Tensors.RandomGenerator? rng = null) => throw new NotSupportedException();

        public void Act(Tensors.Tensor observations, Span<float> actions, bool deterministic, Tensors.RandomGenerator? rng = null) => throw new NotSupportedException();
    }
}
