using System.Collections.Concurrent;
using System.Diagnostics;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Sac;
using RLKit.Data;
using RLKit.Distributed.Policies;
using RLKit.Envs;
using RLKit.Training;
using RLKit.Training.Callbacks;
using RLKit.Training.Checkpoints;
using RLKit.Training.Evaluation;
using RLKit.Training.Experience;

namespace RLKit.Distributed.Tests;

/// <summary>
/// Asynchronous off-policy learning on an in-process cluster: DQN and SAC learn from policy workers' streams, the
/// published version advances and tags the transitions, a killed silo costs no duplicate, and bad arguments are refused.
/// </summary>
[TestFixture]
public sealed class ExperienceStreamTests
{
    private static double GreedyMean(IAgent agent, string id, int episodes)
    {
        using var env = StandardEnvironments.CreateCatalog().Make(id);
        return Evaluator.Evaluate(agent, env, episodes, deterministic: true, seed: 1000).MeanReturn;
    }

    /// <summary>Every segment the learner took, per worker, in arrival order.</summary>
    private static ConcurrentDictionary<int, List<TransitionSegment>> Record(ExperienceStream stream)
    {
        var received = new ConcurrentDictionary<int, List<TransitionSegment>>();
        stream.SegmentReceived += s => received.GetOrAdd(s.Worker, _ => []).Add(s);
        return received;
    }

    [Test]
    public async Task DqnLearnsCartPoleFromTheStream()
    {
        await using var cluster = await Cluster.StartAsync(2);
        await using var stream = Cluster.Handle(cluster).ExperienceStream("CartPole-v1", workers: 4, environmentsPerWorker: 2, seed: 1);
        var received = Record(stream);
        var updates = new List<TrainingUpdate>();
        var clock = Stopwatch.StartNew();
        // 8 streams: a vector step is 8 transitions, so TrainFrequency 32 keeps DQN's 128 regressions per 256 transitions.
        // Async runs are not reproducible (which weights act depends on timing) and DQN's greedy return on CartPole swings
        // between updates, so the test asks that the greedy policy passed the threshold during training, not at the end.
        using var evaluation = new EvaluationCallback(() => StandardEnvironments.CreateCatalog().Make("CartPole-v1"), everySteps: 2_500, episodes: 10, seed: 1000);
        var agent = new DqnEstimator(new DqnOptions { TrainFrequency = 32, Seed = 1 }, [evaluation]).Fit(stream, Budget.Steps(50_000), new SynchronousProgress(updates.Add));
        double seconds = clock.Elapsed.TotalSeconds;
        double mean = GreedyMean(agent, "CartPole-v1", 10);
        double best = evaluation.BestReport!.MeanReturn;
        var versions = received.Values.SelectMany(s => s).Select(s => s.Transitions.PolicyVersion).ToArray();
        TestContext.Out.WriteLine($"dqn on the stream: best greedy mean {best:0.0} at {evaluation.BestSteps} transitions, final {mean:0.0}, after {seconds:0.0} s ({stream.TransitionsReceived / seconds:0} transitions/s), " +
                                  $"published version {stream.Version}, mean policy lag {updates.Where(u => !u.IsFinal).Average(u => u.Losses["policy_lag"]):0.00}");
        Assert.Multiple(() =>
        {
            Assert.That(best, Is.GreaterThanOrEqualTo(195), "the best of the 20 evaluations during training (random play scores about 22)");
            Assert.That(evaluation.EvaluationCount, Is.GreaterThanOrEqualTo(19));
            Assert.That(stream.TransitionsReceived, Is.InRange(50_000, 50_000 + 64), "the budget counts transitions received, checked between segments");
            Assert.That(stream.Version, Is.GreaterThan(100), "the learner published every 100 gradient steps");
            Assert.That(versions.Max(), Is.GreaterThan(100), "segments were collected with later versions");
            Assert.That(versions.Max(), Is.LessThanOrEqualTo(stream.Version));
            foreach (var (w, segments) in received)
                Assert.That(segments.Select(s => s.Transitions.PolicyVersion), Is.Ordered.Ascending, $"worker {w}'s versions never go back");
            Assert.That(stream.Delivery.DuplicatesDropped, Is.Zero);
        });
    }

    [Test]
    public async Task SacLearnsPendulumFromTheStream()
    {
        await using var cluster = await Cluster.StartAsync(1);
        await using var stream = Cluster.Handle(cluster).ExperienceStream("Pendulum-v1", workers: 2, environmentsPerWorker: 1, seed: 1, stepsPerSegment: 50);
        var clock = Stopwatch.StartNew();
        var options = new SacOptions { HiddenSizes = [64, 64], BatchSize = 128, LearningStarts = 1000, Seed = 1 };
        var agent = new SacEstimator(options).Fit(stream, Budget.Steps(16_000));
        double mean = GreedyMean(agent, "Pendulum-v1", 5);
        TestContext.Out.WriteLine($"sac on the stream: greedy mean {mean:0.0} after {clock.Elapsed.TotalSeconds:0.0} s, published version {stream.Version}");
        Assert.That(mean, Is.GreaterThanOrEqualTo(-400), "random play scores about −1200");
    }

    [Test]
    public async Task AKilledSiloMidRunLosesNoSegmentAndRepeatsNone()
    {
        await using var cluster = await Cluster.StartAsync(3);
        await using var stream = Cluster.Handle(cluster).ExperienceStream("CartPole-v1", workers: 3, environmentsPerWorker: 2, seed: 2);
        var received = Record(stream);
        Task? kill = null;
        string victimAddress = "";
        stream.SegmentReceived += _ =>
        {
            if (kill is not null || stream.TransitionsReceived < 5_000) return;
            victimAddress = stream.Delivery.Workers[0].Silo;
            var victim = cluster.Silos.Single(s => s.SiloAddress.ToString() == victimAddress);
            kill = Task.Run(() => cluster.KillSiloAsync(victim));
        };
        var agent = new DqnEstimator(new DqnOptions { TrainFrequency = 43, Seed = 2 }).Fit(stream, Budget.Steps(30_000));
        await kill!;
        Assert.Multiple(() =>
        {
            Assert.That(stream.TransitionsReceived, Is.GreaterThanOrEqualTo(30_000), "training finished its budget");
            for (int w = 0; w < 3; w++)
            {
                var sequences = received[w].Select(s => s.Sequence).ToArray();
                Assert.That(sequences, Is.EqualTo(Enumerable.Range(1, sequences.Length).Select(k => (long)k)), $"worker {w}: each segment once, in order");
            }
            Assert.That(stream.Delivery.Workers[0].Recoveries, Is.GreaterThanOrEqualTo(1), "worker 0 was rebuilt on another silo");
            Assert.That(stream.Delivery.Workers[0].Silo, Is.Not.EqualTo(victimAddress));
            Assert.That(received[0].Count(s => s.Transitions.Restarted), Is.GreaterThanOrEqualTo(1), "its first segment after the rebuild is marked");
            Assert.That(stream.Delivery.DuplicatesDropped, Is.Zero);
            Assert.That(received[0].Where(s => s.Transitions.Restarted).Select(s => s.Transitions.PolicyVersion), Has.All.GreaterThan(0), "the rebuilt worker got the current weights, not version 0");
        });
        TestContext.Out.WriteLine($"after the kill: greedy mean {GreedyMean(agent, "CartPole-v1", 5):0.0}; recoveries {stream.Delivery.Recoveries}");
    }

    [Test]
    public async Task ALearnerRestartResumesTheAsyncRunFromItsLastCheckpoint()
    {
        // SAC on Pendulum: its greedy return at the end of a run is steady, where a DQN CartPole snapshot swings with the
        // stream's timing (uninterrupted runs too), so the threshold tests the resume and not luck.
        const long Total = 16_000, Round = 8_000;
        var options = new SacOptions { HiddenSizes = [64, 64], BatchSize = 128, LearningStarts = 1000, Seed = 1 };
        await using var cluster = await Cluster.StartAsync(1);
        using var checkpoints = new TemporaryDirectory("rlkit-async-learner");
        string path = checkpoints.File("sac.rlkit");
        var clock = Stopwatch.StartNew();

        // The first learner checkpoints its run at the end of a Fit (which leaves Adam's state and the training state; a
        // mid-fit checkpoint holds the weights only), with its replay buffer beside it, then dies during the next Fit:
        // what it held in memory is lost, and its workers are left behind.
        await using (var stream = Cluster.Handle(cluster).ExperienceStream("Pendulum-v1", workers: 2, environmentsPerWorker: 1, seed: 1, stepsPerSegment: 50))
        {
            var first = new SacEstimator(options, [new PauseAt(Round)]).Fit(stream, Budget.Steps(Total));
            Checkpoint.Save(first, path);
            first.ReplayBuffer!.Save(path + ".replay");   // a checkpoint holds no transitions
            using var crash = new CancellationTokenSource();
            new SacEstimator(options).Fit(stream, Budget.Steps(Total - first.TrainingState!.Steps),
                                          new SynchronousProgress(u => { if (u.Steps >= Round + 2_000) crash.Cancel(); }), crash.Token, initialAgent: first);
            Assert.That(crash.IsCancellationRequested, "the second Fit died mid-run");
        }

        // The restarted learner: a new cluster handle and workers, the last checkpoint and buffer, the rest of the budget.
        var restored = (SacAgent)Checkpoint.LoadAgent(path);
        var savedBuffer = restored.ReplayBuffer = ReplayBuffer.Load(path + ".replay");
        long saved = restored.TrainingState!.Steps;
        long savedUpdates = restored.TrainingState.Updates;
        var updates = new List<TrainingUpdate>();
        await using var restarted = Cluster.Handle(cluster).ExperienceStream("Pendulum-v1", workers: 2, environmentsPerWorker: 1, seed: 2, stepsPerSegment: 50);
        var agent = new SacEstimator(options).Fit(restarted, Budget.Steps(Total - saved), new SynchronousProgress(updates.Add), initialAgent: restored);
        double mean = GreedyMean(agent, "Pendulum-v1", 5);
        TestContext.Out.WriteLine($"sac resumed at {saved} transitions on new workers: greedy mean {mean:0.0}, {clock.Elapsed.TotalSeconds:0.0} s in all");
        Assert.Multiple(() =>
        {
            Assert.That(agent, Is.SameAs(restored), "training went on from the checkpoint's agent");
            Assert.That(saved, Is.InRange(Round, Round + 100), "the checkpoint is the end of the first Fit");
            Assert.That(updates[0].Steps, Is.EqualTo(saved + 50), "the count continues, and updates go on from the first segment (no second random warm-up)");
            Assert.That(agent.ReplayBuffer, Is.SameAs(savedBuffer), "the saved one-column buffer is continued");
            Assert.That(agent.TrainingState!.Steps, Is.GreaterThanOrEqualTo(Total));
            Assert.That(agent.TrainingState.Updates, Is.EqualTo(savedUpdates + updates.Count(u => !u.IsFinal)), "the update count continues");
            Assert.That(mean, Is.GreaterThanOrEqualTo(-400), "random play scores about −1200");
        });
    }

    [Test]
    public async Task BadArgumentsAreRefusedClearly()
    {
        await using var cluster = await Cluster.StartAsync(1);
        var handle = Cluster.Handle(cluster);
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => handle.ExperienceStream("CartPole-v1", workers: 0, environmentsPerWorker: 1))!.Message,
                        Does.Contain("workers must be in [1, 4096]"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => handle.ExperienceStream("CartPole-v1", workers: 1, environmentsPerWorker: 0))!.ParamName,
                        Is.EqualTo("environmentsPerWorker"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => handle.ExperienceStream("CartPole-v1", 1, 1, stepsPerSegment: 0))!.Message,
                        Does.Contain("stepsPerSegment must be in [1, 100000]"));
            Assert.Throws<KeyNotFoundException>(() => handle.ExperienceStream("NoSuchEnv-v0", 1, 1));
        });
        await using var stream = handle.ExperienceStream("CartPole-v1", 1, 1);
        Assert.Throws<InvalidOperationException>(() => stream.Receive(CancellationToken.None), "receive before the first publish");
        var pendulumAgent = new SacEstimator(new SacOptions { HiddenSizes = [8], LearningStarts = 10, BatchSize = 8 })
            .Fit(StandardEnvironments.CreateCatalog().Make("Pendulum-v1"), Budget.Steps(20));
        Assert.That(Assert.Throws<ArgumentException>(() => stream.Publish(pendulumAgent, ExplorationBehavior.PolicySampling))!.ParamName, Is.EqualTo("policy"));
        Assert.That(Assert.Throws<ArgumentException>(() => new SacEstimator().Fit(stream, Budget.Steps(10)))!.ParamName, Is.EqualTo("source"));
    }
}
