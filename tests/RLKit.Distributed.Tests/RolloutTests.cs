using System.Diagnostics;
using Orleans.TestingHost;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Ppo;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Distributed.Tests;

/// <summary>
/// Distributed rollouts on three in-process silos: the numbers are a local vector environment's, bit for bit, and PPO
/// trained through the cluster learns CartPole.
/// </summary>
[TestFixture]
public sealed class RolloutTests
{
    private static readonly EnvironmentCatalog Catalog = StandardEnvironments.CreateCatalog();
    private InProcessTestCluster _cluster = null!;

    [OneTimeSetUp]
    public async Task StartCluster() => _cluster = await Cluster.StartAsync(3);

    [OneTimeTearDown]
    public async Task StopCluster() => await _cluster.DisposeAsync();

    private static SyncVectorEnvironment Local(int count, ulong seed)
    {
        var env = new SyncVectorEnvironment(Enumerable.Range(0, count).Select(_ => Catalog.Make("CartPole-v1")).ToArray());
        env.Reset(seed);
        return env;
    }

    [Test]
    public void StepsMatchALocalVectorEnvironmentBitForBit()
    {
        // Random actions with episode ends: observations, s′ of finished episodes, rewards and flags all agree.
        using var local = Local(6, seed: 11);
        using var remote = Cluster.Handle(_cluster).VectorEnvironment("CartPole-v1", workers: 3, environmentsPerWorker: 2, seed: 11);
        Assert.That(remote.Observations.AsSpan()[..remote.Observations.Size].ToArray(), Is.EqualTo(local.Observations.AsSpan()[..local.Observations.Size].ToArray()));
        var random = new Random(3);
        var actions = new int[6];
        int ended = 0;
        for (int t = 0; t < 300; t++)
        {
            for (int i = 0; i < 6; i++) actions[i] = random.Next(2);
            var a = local.Step(actions);
            float[] aObs = a.Observations.AsSpan()[..a.Observations.Size].ToArray(), aNext = a.NextObservations.AsSpan()[..a.NextObservations.Size].ToArray();
            float[] aRewards = a.Rewards.ToArray();
            bool[] aTerminated = a.Terminated.ToArray(), aTruncated = a.Truncated.ToArray();
            var b = remote.Step(actions);
            Assert.That(b.Observations.AsSpan()[..b.Observations.Size].ToArray(), Is.EqualTo(aObs), $"observations at step {t}");
            Assert.That(b.NextObservations.AsSpan()[..b.NextObservations.Size].ToArray(), Is.EqualTo(aNext), $"next observations at step {t}");
            Assert.That(b.Rewards.ToArray(), Is.EqualTo(aRewards));
            Assert.That(b.Terminated.ToArray(), Is.EqualTo(aTerminated));
            Assert.That(b.Truncated.ToArray(), Is.EqualTo(aTruncated));
            ended += aTerminated.Count(x => x);
        }
        Assert.That(ended, Is.GreaterThan(10), "episodes must end for the final-observation path to be exercised");
        Assert.That(remote.Delivery.Workers.Select(w => w.LastSequence), Has.All.EqualTo(301));
    }

    [Test]
    public void BoxActionsAndPrimitiveInfosTravelUnchanged()
    {
        // RestrictedPendulum-v1: continuous actions, and an info ("action_valid") on every step.
        using var local = new SyncVectorEnvironment(Enumerable.Range(0, 4).Select(_ => Catalog.Make("RestrictedPendulum-v1")).ToArray());
        local.Reset(21);
        using var remote = Cluster.Handle(_cluster).VectorEnvironment("RestrictedPendulum-v1", workers: 2, environmentsPerWorker: 2, seed: 21);
        var random = new Random(5);
        var actions = new float[4];
        for (int t = 0; t < 50; t++)
        {
            for (int i = 0; i < 4; i++) actions[i] = (float)(random.NextDouble() * 4 - 2);
            var a = local.Step(actions);
            var aObs = a.Observations.AsSpan()[..a.Observations.Size].ToArray();
            var aInfos = a.Infos.Select(info => info.TryGetValue("action_valid", out var v) ? v : null).ToArray();
            var aRewards = a.Rewards.ToArray();
            var b = remote.Step(actions);
            Assert.That(b.Observations.AsSpan()[..b.Observations.Size].ToArray(), Is.EqualTo(aObs));
            Assert.That(b.Rewards.ToArray(), Is.EqualTo(aRewards));
            Assert.That(b.Infos.Select(info => info.TryGetValue("action_valid", out var v) ? v : null), Is.EqualTo(aInfos));
        }
        Assert.That(remote.Step(actions).Infos, Has.All.ContainKey("action_valid"));
        Assert.That(() => remote.Step(new int[4]), Throws.InstanceOf<NotSupportedException>());
        Assert.That(() => remote.Step(new float[3]), Throws.ArgumentException.With.Message.Contains("need 4 × 1 = 4 float actions, got 3"));
    }

    [Test]
    public void OneWorkerSynchronousPpoEqualsLocalPpoBitForBit()
    {
        var options = PpoOptions.CartPole with { Seed = 5 };
        var budget = Budget.Steps(4 * 32 * 6);
        using var local = Local(4, seed: 5);
        var localAgent = new PpoEstimator(options).Fit(local, budget);
        using var remote = Cluster.Handle(_cluster).VectorEnvironment("CartPole-v1", workers: 1, environmentsPerWorker: 4, seed: 5);
        var remoteAgent = new PpoEstimator(options).Fit(remote, budget);
        AssertSameWeights(remoteAgent, localAgent);

        // The same holds for any split of the same sub-environments over workers.
        using var split = Cluster.Handle(_cluster).VectorEnvironment("CartPole-v1", workers: 4, environmentsPerWorker: 1, seed: 5);
        AssertSameWeights(new PpoEstimator(options).Fit(split, budget), localAgent);
    }

    [Test]
    public void OffPolicyDqnTrainsSynchronouslyWithTheSameBitsAsLocally()
    {
        // The remote vector environment serves off-policy estimators too (synchronously: the learner acts, workers step).
        var options = new DqnOptions { Seed = 9, LearningStarts = 200, TrainFrequency = 64, GradientSteps = 8, BatchSize = 32 };
        var budget = Budget.Steps(1_200);
        using var local = Local(2, seed: 9);
        var localAgent = new DqnEstimator(options).Fit(local, budget);
        using var remote = Cluster.Handle(_cluster).VectorEnvironment("CartPole-v1", workers: 2, environmentsPerWorker: 1, seed: 9);
        AssertSameWeights(new DqnEstimator(options).Fit(remote, budget), localAgent);
    }

    internal static void AssertSameWeights(ICheckpointable actual, ICheckpointable expected)
    {
        var a = actual.Weights;
        var e = expected.Weights;
        Assert.That(a.Keys, Is.EquivalentTo(e.Keys));
        foreach (var (name, tensor) in e)
            Assert.That(a[name].AsSpan()[..a[name].Size].ToArray(), Is.EqualTo(tensor.AsSpan()[..tensor.Size].ToArray()), $"parameter {name}");
    }
}
