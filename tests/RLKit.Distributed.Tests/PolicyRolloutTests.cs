using RLKit.Algorithms.Ppo;
using RLKit.Distributed.Policies;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Training;

namespace RLKit.Distributed.Tests;

/// <summary>
/// Policy-copy rollouts on three silos: workers act with their own copy, segments carry the weight version that acted,
/// a broadcast reaches every worker, and a silo killed mid-stream loses and repeats no segment.
/// </summary>
[TestFixture, Category("Slow")]
public sealed class PolicyRolloutTests
{
    private const int Workers = 3, EnvironmentsPerWorker = 4, StepsPerSegment = 32;

    private static PpoAgent Train(ulong seed, long steps)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        using var env = new SyncVectorEnvironment(Enumerable.Range(0, 4).Select(_ => catalog.Make("CartPole-v1")).ToArray());
        return new PpoEstimator(PpoOptions.CartPole with { Seed = seed }).Fit(env, Budget.Steps(steps));
    }

    [Test]
    public async Task SegmentsCarryTheirVersionAndSurviveAKilledSiloWithoutDuplicates()
    {
        await using var cluster = await Cluster.StartAsync(3);
        var first = Train(1, 256);
        var second = Train(2, 1024);
        await using var rollouts = await Cluster.Handle(cluster).PolicyRolloutsAsync(first, "CartPole-v1", Workers, EnvironmentsPerWorker, seed: 5);
        string victimAddress = rollouts.Delivery.Workers[0].Silo;
        var victim = cluster.Silos.Single(s => s.SiloAddress.ToString() == victimAddress);

        var received = Enumerable.Range(0, Workers).Select(_ => new List<TransitionSegment>()).ToArray();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Task? broadcast = null, kill = null;
        int total = 0, afterKill = 0;
        await foreach (var segment in rollouts.StreamAsync(StepsPerSegment, stop.Token))
        {
            received[segment.Worker].Add(segment);
            total++;
            if (total == 6) broadcast = rollouts.BroadcastAsync(second);
            if (total == 15) kill = Task.Run(() => cluster.KillSiloAsync(victim));
            if (kill is { IsCompleted: true } && segment.Worker == 0 && rollouts.Delivery.Workers[0].Recoveries > 0) afterKill++;
            if (afterKill >= 3 && received.All(r => r.Count > 0 && r[^1].Transitions.PolicyVersion == 1)) break;
        }
        Assert.That(stop.IsCancellationRequested, Is.False, "the stream made progress after the kill");
        await broadcast!;
        await kill!;

        Assert.Multiple(() =>
        {
            for (int w = 0; w < Workers; w++)
            {
                var sequences = received[w].Select(s => s.Sequence).ToArray();
                Assert.That(sequences, Is.EqualTo(Enumerable.Range(1, sequences.Length).Select(k => (long)k)), $"worker {w}: each segment once, in order");
                Assert.That(received[w].Select(s => s.Transitions.PolicyVersion), Is.Ordered.Ascending, $"worker {w}: versions never go back");
                Assert.That(received[w][^1].Transitions.PolicyVersion, Is.EqualTo(1), $"worker {w} acts with the broadcast weights");
                foreach (var s in received[w])
                {
                    Assert.That(s.Transitions.Count, Is.EqualTo(StepsPerSegment * EnvironmentsPerWorker));
                    Assert.That(s.Transitions.Observations.Length, Is.EqualTo(s.Transitions.Count * 4));
                    Assert.That(s.Transitions.NextObservations.Length, Is.EqualTo(s.Transitions.Count * 4));
                    Assert.That(s.Transitions.DiscreteActions.ToArray(), Has.All.InRange(0, 1));
                    Assert.That(s.Transitions.Rewards.ToArray(), Has.All.EqualTo(1f), "CartPole pays 1 per step");
                }
            }
            Assert.That(rollouts.Delivery.Workers[0].Recoveries, Is.GreaterThanOrEqualTo(1), "worker 0 was rebuilt on another silo");
            Assert.That(rollouts.Delivery.Workers[0].Silo, Is.Not.EqualTo(victimAddress));
            Assert.That(rollouts.Delivery.DuplicatesDropped, Is.Zero);
            Assert.That(rollouts.Version, Is.EqualTo(1));
        });
    }
}
