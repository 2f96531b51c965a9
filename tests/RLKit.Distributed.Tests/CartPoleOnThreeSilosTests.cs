using System.Diagnostics;
using Orleans.TestingHost;
using RLKit.Algorithms.Ppo;
using RLKit.Envs;
using RLKit.Training;
using RLKit.Training.Callbacks;
using RLKit.Training.Checkpoints;
using RLKit.Training.Evaluation;

namespace RLKit.Distributed.Tests;

/// <summary>
/// PPO trained through a three-silo cluster solves CartPole (greedy mean ≥ 475), and a run in which one silo is killed
/// mid-training still does, with every transition delivered exactly once, and, because a lost worker is rebuilt by a
/// deterministic replay, with the very same weights as the undisturbed run.
/// </summary>
[TestFixture, Category("Slow")]
public sealed class CartPoleOnThreeSilosTests
{
    private const int Workers = 4, EnvironmentsPerWorker = 2;
    private const long Steps = 100_000;
    private static readonly PpoOptions Options = PpoOptions.CartPole with { Seed = 1 };
    private InProcessTestCluster _cluster = null!;
    private PpoAgent _undisturbed = null!;
    private TrainingUpdate _undisturbedFinal = null!;

    [OneTimeSetUp]
    public async Task TrainOnce()
    {
        _cluster = await Cluster.StartAsync(3);
        var clock = Stopwatch.StartNew();
        using var env = Cluster.Handle(_cluster).VectorEnvironment("CartPole-v1", Workers, EnvironmentsPerWorker, seed: 1);
        var updates = new List<TrainingUpdate>();
        _undisturbed = new PpoEstimator(Options).Fit(env, Budget.Steps(Steps), new SynchronousProgress(updates.Add));
        _undisturbedFinal = updates[^1];
        TestContext.Progress.WriteLine($"PPO CartPole on 3 silos ({Workers} workers × {EnvironmentsPerWorker}): {clock.Elapsed.TotalSeconds:0.0} s; silos {string.Join(", ", env.Delivery.Workers.Select(w => w.Silo))}");
    }

    [OneTimeTearDown]
    public async Task StopCluster() => await _cluster.DisposeAsync();

    private static double Greedy(PpoAgent agent) =>
        Evaluator.Evaluate(agent, StandardEnvironments.CreateCatalog().Make("CartPole-v1"), episodes: 20, deterministic: true, seed: 1000).MeanReturn;

    [Test]
    public void PpoSolvesCartPoleOnThreeSilos()
    {
        double greedy = Greedy(_undisturbed);
        TestContext.Out.WriteLine($"greedy mean return {greedy:0.0}");
        Assert.That(greedy, Is.GreaterThanOrEqualTo(475));
    }

    [Test]
    public async Task KillingASiloMidTrainingLosesAndRepeatsNoTransition()
    {
        var handle = Cluster.Handle(_cluster);
        using var env = handle.VectorEnvironment("CartPole-v1", Workers, EnvironmentsPerWorker, seed: 1);
        // Kill a silo that hosts a worker, never the one the test's own client happens to prefer; the kill runs on
        // another thread, so it lands in the middle of a rollout.
        string victimAddress = env.Delivery.Workers[0].Silo;
        var victim = _cluster.Silos.Single(s => s.SiloAddress.ToString() == victimAddress);
        int onVictim = env.Delivery.Workers.Count(w => w.Silo == victimAddress);
        Task? kill = null;
        var updates = new List<TrainingUpdate>();
        var agent = new PpoEstimator(Options).Fit(env, Budget.Steps(Steps), new SynchronousProgress(update =>
        {
            updates.Add(update);
            if (update.Updates == 100 && kill is null) kill = Task.Run(() => _cluster.KillSiloAsync(victim));
        }));
        Assert.That(kill, Is.Not.Null);
        await kill!;

        var counters = await env.CountersAsync();
        for (int w = 0; w < Workers; w++)
            TestContext.Out.WriteLine($"worker {w}: silo {env.Delivery.Workers[w].Silo}, accepted {env.Delivery.Workers[w].Accepted}, retries {env.Delivery.Workers[w].Retries}, " +
                                      $"recoveries {env.Delivery.Workers[w].Recoveries}; grain applied {counters[w].Applied}, replayed {counters[w].Replayed}, repeated {counters[w].Repeated}");
        Assert.Multiple(() =>
        {
            Assert.That(env.Delivery.Recoveries, Is.GreaterThanOrEqualTo(onVictim), "every worker of the killed silo was rebuilt elsewhere");
            Assert.That(env.Delivery.Workers.Select(w => w.Silo), Has.None.EqualTo(victimAddress));
            Assert.That(env.Delivery.DuplicatesDropped, Is.Zero);
            // Sequence numbers: each worker's accepted replies are exactly 1 … last, and every transition the trainer
            // counted came from exactly one accepted step reply.
            Assert.That(env.Delivery.Workers.Select(w => w.Accepted), Is.EqualTo(env.Delivery.Workers.Select(w => w.LastSequence)));
            Assert.That(env.Delivery.AcceptedSteps * EnvironmentsPerWorker, Is.EqualTo(updates[^1].Steps));
            Assert.That(updates[^1].Steps, Is.EqualTo(_undisturbedFinal.Steps));
            // Each worker's current activation applied (live or by replay) exactly the commands the learner accepted;
            // a rebuilt one replays from Fit's seeded reset (command 2), which makes command 1 (the reset of
            // VectorEnvironment) irrelevant.
            for (int w = 0; w < Workers; w++)
            {
                var delivery = env.Delivery.Workers[w];
                Assert.That(counters[w].LastSequence, Is.EqualTo(delivery.LastSequence), $"worker {w}");
                Assert.That(counters[w].Applied + counters[w].Replayed, Is.EqualTo(delivery.LastSequence - (delivery.Recoveries > 0 ? 1 : 0)), $"worker {w}");
                Assert.That(counters[w].Repeated, Is.EqualTo(delivery.RepeatedReplies), $"worker {w}");
            }
        });
        RolloutTests.AssertSameWeights(agent, _undisturbed);
        Assert.That(Greedy(agent), Is.GreaterThanOrEqualTo(475));
    }

    [Test]
    public void ALearnerRestartResumesFromItsLastCheckpoint()
    {
        using var checkpoints = new TemporaryDirectory("rlkit-learner");
        // The first learner saves every 20,000 steps and dies (here: is cancelled) after 50,000; what it held in memory
        // is gone, and its workers are left behind on the silos.
        using var crash = new CancellationTokenSource();
        var saving = new CheckpointCallback(20_000, checkpoints.FullPath);
        var firstEnv = Cluster.Handle(_cluster).VectorEnvironment("CartPole-v1", Workers, EnvironmentsPerWorker, seed: 1);
        new PpoEstimator(Options).WithCallbacks(saving)
            .Fit(firstEnv, Budget.Steps(Steps), new SynchronousProgress(u => { if (u.Steps >= 50_000) crash.Cancel(); }), crash.Token);
        Assert.That(saving.SavedPaths, Has.Count.EqualTo(2), "checkpoints at about 20,000 and 40,000 steps");
        long saved = long.Parse(Checkpoint.Load(saving.LastPath!).Metadata.Notes!["steps"], System.Globalization.CultureInfo.InvariantCulture);

        // The restarted learner: a new cluster handle and workers, the last checkpoint, the rest of the budget.
        var restored = (PpoAgent)Checkpoint.LoadAgent(saving.LastPath!);
        using var env = Cluster.Handle(_cluster).VectorEnvironment("CartPole-v1", Workers, EnvironmentsPerWorker, seed: 2);
        var updates = new List<TrainingUpdate>();
        var agent = new PpoEstimator(Options).Fit(env, Budget.Steps(Steps - saved), new SynchronousProgress(updates.Add), initialAgent: restored);
        Assert.That(agent, Is.SameAs(restored), "training went on from the checkpoint's agent");
        Assert.That(updates[^1].Steps, Is.GreaterThanOrEqualTo(Steps - saved));
        double greedy = Greedy(agent);
        TestContext.Out.WriteLine($"resumed from {saving.LastPath}: greedy mean return {greedy:0.0}");
        Assert.That(greedy, Is.GreaterThanOrEqualTo(475));
    }
}
