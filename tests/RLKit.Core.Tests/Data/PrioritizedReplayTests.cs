using RLKit.Data;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Data;

/// <summary>Proportional prioritized replay: sampling frequencies, importance weights, β annealing and updates.</summary>
public class PrioritizedReplayTests
{
    private static ReplayBuffer Filled(PrioritizedReplayOptions prioritized, int transitions = 4)
    {
        var buffer = new ReplayBuffer(1, ActionLayout.Discrete(),
            new ReplayBufferOptions { Capacity = 8, Prioritized = prioritized });
        for (int i = 0; i < transitions; i++) buffer.Add([i], 0, 0f, [i], false, false);
        return buffer;
    }

    [Test]
    public void SamplingFrequenciesAreProportionalToPriorityToTheAlpha()
    {
        // |δ| = 1, 4, 9, 16 with α = 0.5 give p^α = 1, 2, 3, 4: P = 0.1, 0.2, 0.3, 0.4.
        var buffer = Filled(new PrioritizedReplayOptions { Alpha = 0.5f, Epsilon = 1e-12f });
        buffer.UpdatePriorities([0, 1, 2, 3], [1f, -4f, 9f, 16f]);

        var counts = new int[4];
        var rng = new RandomGenerator(42);
        const int calls = 100, batchSize = 100;
        for (int c = 0; c < calls; c++)
        {
            var batch = buffer.Sample(batchSize, rng);
            foreach (int index in batch.Indices) counts[index]++;
        }

        double[] expected = [0.1, 0.2, 0.3, 0.4];
        for (int i = 0; i < 4; i++)
            Assert.That(counts[i] / (double)(calls * batchSize), Is.EqualTo(expected[i]).Within(0.02), $"slot {i}");
    }

    [Test]
    public void ImportanceWeightsFollowTheFormula()
    {
        const float beta = 0.4f;
        var buffer = Filled(new PrioritizedReplayOptions { Alpha = 0.5f, BetaStart = beta, BetaEnd = beta, Epsilon = 1e-12f });
        buffer.UpdatePriorities([0, 1, 2, 3], [1f, 4f, 9f, 16f]);
        double[] probability = [0.1, 0.2, 0.3, 0.4];
        const int n = 4;
        // w_i = (N·P(i))^−β / max_j (N·P(j))^−β; the max belongs to the least likely transition.
        double maxWeight = Math.Pow(n * probability.Min(), -beta);

        var batch = buffer.Sample(32, new RandomGenerator(9));
        for (int b = 0; b < batch.Size; b++)
        {
            int i = batch.Indices[b];
            double expected = Math.Pow(n * probability[i], -beta) / maxWeight;
            Assert.That(batch.Weights.AsReadOnlySpan()[b], Is.EqualTo(expected).Within(1e-5), $"slot {i}");
        }
        Assert.That(batch.Indices.ToArray(), Does.Contain(3), "the check must cover a weight below 1");
    }

    [Test]
    public void BetaAnnealsLinearlyOverSampleCalls()
    {
        var buffer = Filled(new PrioritizedReplayOptions { BetaStart = 0.4f, BetaEnd = 1f, BetaAnnealingSamples = 10 });
        var rng = new RandomGenerator(1);
        Assert.That(buffer.CurrentBeta, Is.EqualTo(0.4f));
        for (int i = 0; i < 5; i++) buffer.Sample(2, rng);
        Assert.That(buffer.CurrentBeta, Is.EqualTo(0.7f).Within(1e-6f));
        for (int i = 0; i < 20; i++) buffer.Sample(2, rng);
        Assert.That(buffer.CurrentBeta, Is.EqualTo(1f));
    }

    [Test]
    public void NewTransitionsGetTheLargestPrioritySeen()
    {
        var buffer = Filled(new PrioritizedReplayOptions { Alpha = 1f, Epsilon = 1e-12f }, transitions: 2);
        buffer.UpdatePriorities([0, 1], [3f, 1f]);      // max priority 3
        buffer.Add([2f], 0, 0f, [2f], false, false);     // gets 3: P = 3/7, 1/7, 3/7

        var counts = new int[3];
        var rng = new RandomGenerator(4);
        for (int c = 0; c < 70; c++)
            foreach (int index in buffer.Sample(100, rng).Indices) counts[index]++;
        Assert.That(counts[2] / 7000.0, Is.EqualTo(3 / 7.0).Within(0.02));
        Assert.That(counts[1] / 7000.0, Is.EqualTo(1 / 7.0).Within(0.02));
    }

    [Test]
    public void UpdatePrioritiesRejectsBadInputByName()
    {
        var buffer = Filled(new PrioritizedReplayOptions());
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => buffer.UpdatePriorities([4], [1f]));
        Assert.That(range!.ParamName, Is.EqualTo("indices"));
        var ex = Assert.Throws<ArgumentException>(() => buffer.UpdatePriorities([0, 1], [1f]));
        Assert.That(ex!.ParamName, Is.EqualTo("tdErrors"));
        ex = Assert.Throws<ArgumentException>(() => buffer.UpdatePriorities([0], [float.NaN]));
        Assert.That(ex!.ParamName, Is.EqualTo("tdErrors"));
        Assert.Throws<InvalidOperationException>(() =>
            new ReplayBuffer(1, ActionLayout.Discrete()).UpdatePriorities([0], [1f]));
        range = Assert.Throws<ArgumentOutOfRangeException>(() => Filled(new PrioritizedReplayOptions { Alpha = -0.1f }));
        Assert.That(range!.ParamName, Is.EqualTo("Alpha"));
        range = Assert.Throws<ArgumentOutOfRangeException>(() => Filled(new PrioritizedReplayOptions { BetaAnnealingSamples = 0 }));
        Assert.That(range!.ParamName, Is.EqualTo("BetaAnnealingSamples"));
    }
}
