using RLKit.Algorithms.Common;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Environments.Wrappers;
using RLKit.Envs;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Common;

public class TransitionCollectorTests
{
    [Test]
    public void ATruncatedTransitionStoresTheFinalObservationAndDoesNotCountAsDone()
    {
        var catalog = StandardEnvironments.CreateCatalog();
        using var vector = new SyncVectorEnvironment([new TimeLimit(catalog.Make("CartPole-v1"), 3)], AutoresetMode.SameStep);
        var buffer = new ReplayBuffer(4, ActionLayout.Discrete(2), new ReplayBufferOptions { Capacity = 3 });
        var monitor = new TrainingMonitor("test", Budget.Steps(100), envCount: 1);
        var collector = new TransitionCollector(vector, buffer, monitor);
        vector.Reset(0);

        // The same episode on a reference environment gives the true next observations.
        using var reference = catalog.Make("CartPole-v1");
        reference.Reset(0);
        var expectedNext = new float[3][];
        for (int t = 0; t < 3; t++)
        {
            collector.DiscreteActions[0] = t % 2;
            collector.Step();
            expectedNext[t] = reference.Step(t % 2).Observation.ToArray();
        }
        Assert.That(monitor.Episodes, Is.EqualTo(1), "the time limit ended the episode");
        Assert.That(vector.Observations.ToArray(), Is.Not.EqualTo(expectedNext[2]), "the vector env already reset");

        var batch = buffer.Sample(64, new RandomGenerator(1));
        var seen = new bool[3];
        for (int b = 0; b < batch.Size; b++)
        {
            int slot = batch.Indices[b];
            seen[slot] = true;
            Assert.That(batch.NextObservations.AsSpan().Slice(b * 4, 4).ToArray(), Is.EqualTo(expectedNext[slot]), $"slot {slot}");
            Assert.That(batch.Dones.AsSpan()[b], Is.Zero, "truncation is not termination");
        }
        Assert.That(seen, Is.All.True);
    }
}
