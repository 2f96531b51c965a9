using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.Ppo;
using RLKit.Autograd;
using RLKit.Environments.Vector;
using RLKit.Environments.Wrappers;
using RLKit.Envs;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Common;

public class RolloutCollectorTests
{
    // Env 0 is cut short by a two-step time limit; env 1 keeps running.
    private static SyncVectorEnvironment TruncatingVector()
    {
        var catalog = StandardEnvironments.CreateCatalog();
        return new SyncVectorEnvironment([new TimeLimit(catalog.Make("CartPole-v1"), 2), catalog.Make("CartPole-v1")], AutoresetMode.SameStep);
    }

    private static A2cAgent Agent() => new(new Box(-5f, 5f, 4), new Discrete(2), new A2cOptions(), new RandomGenerator(5));

    [Test]
    public void ATruncatedEpisodeBootstrapsFromItsFinalObservationAndOthersDoNot()
    {
        using var vector = TruncatingVector();
        var agent = Agent();
        var collector = new RolloutCollector(vector, agent.Network, new TrainingMonitor("test", Budget.Steps(100), 2), new RandomGenerator(1));
        vector.Reset(3);
        collector.Step();
        Assert.That(collector.BootstrapValues, Is.All.EqualTo(0f), "nothing ended in the first step");
        var step = collector.Step();
        Assert.That(step.Truncated[0] && !step.Terminated[0], Is.True, "the time limit truncated env 0");
        Assert.That(step.Done(1), Is.False);

        var final = step.NextObservations.ToArray().AsSpan(0, 4).ToArray();
        Assert.That(final, Is.Not.EqualTo(step.Observations.ToArray().AsSpan(0, 4).ToArray()), "env 0 already reset; s′ is its final observation");
        float expected;
        using (GradMode.NoGrad())
            expected = agent.Network.Value(Tensor.FromArray(final, 1, 4)).Item();
        Assert.That(Math.Abs(expected), Is.GreaterThan(1e-4), "the test needs a non-zero critic value");
        Assert.That(collector.BootstrapValues[0], Is.EqualTo(expected).Within(1e-6));
        Assert.That(collector.BootstrapValues[1], Is.Zero);
    }

    [Test]
    public void TheBufferStoresTheObservationBeforeTheStepAndTheTruncatedReturnBootstraps()
    {
        using var vector = TruncatingVector();
        var agent = Agent();
        var collector = new RolloutCollector(vector, agent.Network, new TrainingMonitor("test", Budget.Steps(100), 2), new RandomGenerator(1));
        var buffer = collector.CreateBuffer(2);
        var observations = vector.Reset(3).Observations.ToArray();
        collector.Step(buffer);
        var secondObservations = vector.Observations.ToArray();
        collector.Step(buffer);
        float bootstrap = collector.BootstrapValues[0];
        float reward = buffer.Rewards[2];

        const float gamma = 0.9f;
        buffer.ComputeReturnsAndAdvantages([0f, 0f], gamma, lambda: 1f);
        foreach (var batch in buffer.Minibatches(4, new RandomGenerator(2)))
        {
            for (int row = 0; row < batch.Size; row++)
            {
                int index = batch.Indices[row];
                var stored = batch.Observations.AsSpan().Slice(row * 4, 4).ToArray();
                var expected = (index < 2 ? observations : secondObservations).AsSpan((index % 2) * 4, 4).ToArray();
                Assert.That(stored, Is.EqualTo(expected), $"s of flat index {index}");
            }
        }
        Assert.That(buffer.Returns[2], Is.EqualTo(reward + gamma * bootstrap).Within(1e-5), "the truncated step bootstraps from V(final observation)");
    }

    [Test]
    public void ActionSetMasksAreStoredWithTheirSteps()
    {
        var catalog = StandardEnvironments.CreateCatalog();
        using var vector = new SyncVectorEnvironment([catalog.Make("DigLavaGrid-v0"), catalog.Make("DigLavaGrid-v0")], AutoresetMode.SameStep);
        var agent = new PpoAgent(vector.SingleObservationSpace, vector.SingleActionSpace, new PpoOptions(), new RandomGenerator(1));
        var collector = new RolloutCollector(vector, agent.Network, new TrainingMonitor("test", Budget.Steps(100), 2), new RandomGenerator(1));
        Assert.That(collector.Layout.IsMasked, Is.True);
        int width = collector.Layout.ActionCount;
        var buffer = collector.CreateBuffer(3);
        vector.Reset(4);
        var masks = new List<bool[]>();
        for (int t = 0; t < 3; t++)
        {
            masks.Add(vector.ActionMasks.ToArray());
            collector.Step(buffer);
            for (int e = 0; e < 2; e++)
                Assert.That(masks[t][(e * width) + collector.DiscreteActions[e]], Is.True, "the sampled action was available");
        }
        buffer.ComputeReturnsAndAdvantages([0f, 0f], 0.99f, 0.95f);
        foreach (var batch in buffer.Minibatches(6, new RandomGenerator(2)))
            for (int row = 0; row < batch.Size; row++)
            {
                int index = batch.Indices[row];
                Assert.That(batch.ActionMasks.Slice(row * width, width).ToArray(), Is.EqualTo(masks[index / 2].AsSpan((index % 2) * width, width).ToArray()));
            }
    }
}
