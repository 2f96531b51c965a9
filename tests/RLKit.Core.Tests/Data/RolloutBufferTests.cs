using RLKit.Data;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Data;

/// <summary>Rollout storage, GAE with truncation bootstrapping, minibatch epochs, allocation and argument errors.</summary>
public class RolloutBufferTests
{
    private const float Gamma = 0.9f;
    private const float Lambda = 0.8f;

    // The rollout of ReturnsTests: env 0 terminates at t = 2, env 1 is truncated at t = 1.
    private static RolloutBuffer HandRollout(float truncatedFinalValue, float terminatedFinalValue = 100f)
    {
        float[][] rewards = [[1f, 0f], [2f, 1f], [3f, 1f], [0f, 2f], [1f, 0f]];
        float[][] values = [[1f, 1f], [2f, 1f], [1f, 3f], [0f, 1f], [2f, 2f]];
        var buffer = new RolloutBuffer(stepCount: 5, envCount: 2, observationSize: 1, ActionLayout.Discrete(2));
        for (int t = 0; t < 5; t++)
        {
            bool[] terminated = [t == 2, false];
            bool[] truncated = [false, t == 1];
            float[] finalValues = [t == 2 ? terminatedFinalValue : 0f, t == 1 ? truncatedFinalValue : 0f];
            buffer.Add([t, t], [0, 1], [0f, 0f], values[t], rewards[t], terminated, truncated, finalValues);
        }
        buffer.ComputeReturnsAndAdvantages([4f, -1f], Gamma, Lambda);
        return buffer;
    }

    [Test]
    public void GaeMatchesHandComputedValues()
    {
        var buffer = HandRollout(truncatedFinalValue: 5f);
        float[] expected = [3.4848f, 3.14f, 2.34f, 4.5f, 2f, -0.58736f, 3.672f, 0.712f, 2.6f, -2.9f];
        Assert.That(buffer.Advantages.ToArray(), Is.EqualTo(expected).Within(1e-5f));
        Assert.That(buffer.Returns.ToArray(), Is.EqualTo(expected.Zip(buffer.Values.ToArray(), (a, v) => a + v).ToArray()).Within(1e-5f));
    }

    [Test]
    public void TruncationBootstrapsFromTheFinalObservationsValue()
    {
        var low = HandRollout(truncatedFinalValue: 5f).Advantages.ToArray();
        var high = HandRollout(truncatedFinalValue: 15f).Advantages.ToArray();

        // Only the truncated episode of env 1 (steps 0 and 1, flat indices 1 and 3) moves: by γ·10 at the truncated
        // step and γλ·γ·10 one step earlier. The terminated episode and env 1's next episode are untouched.
        for (int i = 0; i < low.Length; i++)
        {
            float expectedChange = i == 3 ? 9f : i == 1 ? 0.72f * 9f : 0f;
            Assert.That(high[i] - low[i], Is.EqualTo(expectedChange).Within(1e-4f), $"flat index {i}");
        }

        var terminatedIgnores = HandRollout(truncatedFinalValue: 5f, terminatedFinalValue: -1000f).Advantages.ToArray();
        Assert.That(terminatedIgnores, Is.EqualTo(low), "a terminated step never bootstraps");
    }

    [Test]
    public void MinibatchesCoverEveryIndexExactlyOncePerEpoch()
    {
        const int steps = 5, envs = 3, obsSize = 2;
        var buffer = new RolloutBuffer(steps, envs, obsSize, ActionLayout.Continuous(1));
        for (int t = 0; t < steps; t++)
        {
            var obs = new float[envs * obsSize];
            var actions = new float[envs];
            var values = new float[envs];
            for (int e = 0; e < envs; e++)
            {
                int flat = t * envs + e;
                obs[e * obsSize] = flat;
                obs[e * obsSize + 1] = -flat;
                actions[e] = 10 * flat;
                values[e] = flat;
            }
            buffer.Add(obs, actions, values, values, new float[envs], new bool[envs], new bool[envs]);
        }
        buffer.ComputeReturnsAndAdvantages(new float[envs], 0.99f, 0.95f);

        var rng = new RandomGenerator(3);
        var orders = new List<int[]>();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var order = new List<int>();
            var sizes = new List<int>();
            foreach (var minibatch in buffer.Minibatches(4, rng))
            {
                sizes.Add(minibatch.Size);
                for (int b = 0; b < minibatch.Size; b++)
                {
                    int flat = minibatch.Indices[b];
                    order.Add(flat);
                    Assert.That(minibatch.Observations.AsReadOnlySpan()[b * obsSize], Is.EqualTo(flat));
                    Assert.That(minibatch.Observations.AsReadOnlySpan()[b * obsSize + 1], Is.EqualTo(-flat));
                    Assert.That(minibatch.Actions.AsReadOnlySpan()[b], Is.EqualTo(10f * flat));
                    Assert.That(minibatch.OldLogProbs.AsReadOnlySpan()[b], Is.EqualTo(flat));
                    Assert.That(minibatch.OldValues.AsReadOnlySpan()[b], Is.EqualTo(flat));
                    Assert.That(minibatch.Advantages.AsReadOnlySpan()[b], Is.EqualTo(buffer.Advantages[flat]));
                    Assert.That(minibatch.Returns.AsReadOnlySpan()[b], Is.EqualTo(buffer.Returns[flat]));
                }
            }
            Assert.That(sizes, Is.EqualTo(new[] { 4, 4, 4, 3 }));
            Assert.That(order, Is.EquivalentTo(Enumerable.Range(0, steps * envs)));
            orders.Add(order.ToArray());
        }
        Assert.That(orders[1], Is.Not.EqualTo(orders[0]), "each epoch reshuffles");
        Assert.That(orders[0], Is.Not.EqualTo(Enumerable.Range(0, steps * envs).ToArray()), "indices are shuffled");
    }

    [Test]
    public void MinibatchAdvantagesCanBeNormalised()
    {
        var buffer = HandRollout(5f);
        foreach (var minibatch in buffer.Minibatches(5, new RandomGenerator(1), normalizeAdvantages: true))
        {
            var a = minibatch.Advantages.ToArray().Select(v => (double)v).ToArray();
            double mean = a.Average();
            double std = Math.Sqrt(a.Sum(v => (v - mean) * (v - mean)) / (a.Length - 1));
            Assert.That(mean, Is.EqualTo(0).Within(1e-5));
            Assert.That(std, Is.EqualTo(1).Within(1e-4));
            for (int b = 0; b < minibatch.Size; b++)
                Assert.That(minibatch.Returns.AsReadOnlySpan()[b], Is.EqualTo(buffer.Returns[minibatch.Indices[b]]), "returns are never normalised");
        }
    }

    [Test]
    public void AStaleEpochCannotBeEnumerated()
    {
        var buffer = HandRollout(5f);
        var rng = new RandomGenerator(1);
        var stale = buffer.Minibatches(5, rng).GetEnumerator();
        Assert.That(stale.MoveNext(), Is.True);
        _ = buffer.Minibatches(5, rng); // reshuffles: the first epoch's order is gone
        Assert.Throws<InvalidOperationException>(() => stale.MoveNext());
    }

    [Test]
    public void AddAndMinibatchesAllocateNothingAfterWarmUp()
    {
        const int steps = 8, envs = 4;
        var buffer = new RolloutBuffer(steps, envs, 3, ActionLayout.Discrete(2));
        var obs = new float[envs * 3];
        var actions = new int[envs];
        var values = new float[envs];
        var terminated = new bool[envs];
        var truncated = new bool[envs];
        truncated[1] = true;
        var rng = new RandomGenerator(1);

        void Cycle()
        {
            buffer.Reset();
            for (int t = 0; t < steps; t++)
                buffer.Add(obs, actions, values, values, values, terminated, truncated, values);
            buffer.ComputeReturnsAndAdvantages(values, 0.99f, 0.95f);
            foreach (var minibatch in buffer.Minibatches(10, rng, normalizeAdvantages: true)) _ = minibatch.Size;
        }

        Cycle();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 50; i++) Cycle();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void WrongSizesAndMissingFinalValuesAreRejectedByName()
    {
        var buffer = new RolloutBuffer(2, 2, 3, ActionLayout.Discrete(2));
        var obs = new float[6];
        var two = new float[2];
        void Expect(string name, TestDelegate add)
        {
            var ex = Assert.Catch<ArgumentException>(add);
            Assert.That(ex!.ParamName, Is.EqualTo(name));
        }
        Expect("observations", () => buffer.Add(new float[4], new int[2], two, two, two, new bool[2], new bool[2]));
        Expect("actions", () => buffer.Add(obs, new int[1], two, two, two, new bool[2], new bool[2]));
        Expect("actions", () => buffer.Add(obs, new[] { 0, 5 }, two, two, two, new bool[2], new bool[2]));
        Expect("logProbs", () => buffer.Add(obs, new int[2], new float[3], two, two, new bool[2], new bool[2]));
        Expect("values", () => buffer.Add(obs, new int[2], two, new float[1], two, new bool[2], new bool[2]));
        Expect("rewards", () => buffer.Add(obs, new int[2], two, two, new[] { 1f, float.PositiveInfinity }, new bool[2], new bool[2]));
        Expect("finalValues", () => buffer.Add(obs, new int[2], two, two, two, new bool[2], new[] { false, true }));
        Expect("finalValues", () => buffer.Add(obs, new int[2], two, two, two, new bool[2], new[] { false, true }, new float[3]));
        Assert.That(buffer.Position, Is.Zero, "rejected steps must not be stored");

        // Terminated and truncated together is terminal: no final value needed.
        buffer.Add(obs, new int[2], two, two, two, new[] { true, false }, new[] { true, false });
        Assert.Throws<InvalidOperationException>(() => buffer.Minibatches(2, new RandomGenerator(1)), "advantages not computed yet");
        Expect("lastValues", () => buffer.ComputeReturnsAndAdvantages(new float[3], 0.99f, 0.95f));
        buffer.ComputeReturnsAndAdvantages(two, 0.99f, 0.95f);
        Expect("minibatchSize", () => buffer.Minibatches(3, new RandomGenerator(1)));
        buffer.Add(obs, new int[2], two, two, two, new bool[2], new bool[2]);
        Assert.Throws<InvalidOperationException>(() => buffer.Add(obs, new int[2], two, two, two, new bool[2], new bool[2]), "full");
        Expect("stepCount", () => _ = new RolloutBuffer(0, 1, 1, ActionLayout.Discrete()));
    }
}

/// <summary>Action masks and adding a step in two parts around the environment step.</summary>
public class RolloutBufferMaskTests
{
    [Test]
    public void MasksTravelWithTheirStepsIntoMinibatches()
    {
        var buffer = new RolloutBuffer(2, 2, 1, ActionLayout.MaskedDiscrete(3));
        bool[][] masks = [[true, false, true, false, true, true], [true, true, true, true, false, false]];
        for (int t = 0; t < 2; t++)
        {
            buffer.AddObservations([10 * t, 10 * t + 1], masks[t]);
            buffer.CompleteStep([0, 1], [0f, 0f], [0f, 0f], [1f, 1f], [false, false], [false, false]);
        }
        buffer.ComputeReturnsAndAdvantages([0f, 0f], 0.99f, 0.95f);
        foreach (var batch in buffer.Minibatches(4, new RandomGenerator(3)))
            for (int row = 0; row < batch.Size; row++)
            {
                int index = batch.Indices[row];
                Assert.That(batch.Observations.AsReadOnlySpan()[row], Is.EqualTo(10 * (index / 2) + index % 2));
                Assert.That(batch.ActionMasks.Slice(row * 3, 3).ToArray(), Is.EqualTo(masks[index / 2].AsSpan(index % 2 * 3, 3).ToArray()));
            }
    }

    [Test]
    public void MasksAreRequiredExactlyWhenTheLayoutKeepsThem()
    {
        var masked = new RolloutBuffer(2, 1, 1, ActionLayout.MaskedDiscrete(2));
        var missing = Assert.Throws<ArgumentException>(() => masked.AddObservations([0f]));
        Assert.That(missing!.ParamName, Is.EqualTo("actionMasks"));
        var empty = Assert.Throws<ArgumentException>(() => masked.AddObservations([0f], [false, false]));
        Assert.That(empty!.Message, Does.Contain("offers no action"));

        var plain = new RolloutBuffer(2, 1, 1, ActionLayout.Discrete(2));
        var extra = Assert.Throws<ArgumentException>(() => plain.AddObservations([0f], [true, true]));
        Assert.That(extra!.Message, Does.Contain("MaskedDiscrete"));
        plain.Add([0f], [0], [0f], [0f], [1f], [false], [false]);
        Assert.That(plain.Position, Is.EqualTo(1), "an unmasked layout takes whole steps without masks");
    }

    [Test]
    public void CompletingAStepNeedsItsObservationsFirst()
    {
        var buffer = new RolloutBuffer(2, 1, 1, ActionLayout.Discrete(2));
        var e = Assert.Throws<InvalidOperationException>(() => buffer.CompleteStep([0], [0f], [0f], [1f], [false], [false]));
        Assert.That(e!.Message, Does.Contain("AddObservations"));
        buffer.AddObservations([0f]);
        buffer.CompleteStep([0], [0f], [0f], [1f], [false], [false]);
        Assert.Throws<InvalidOperationException>(() => buffer.CompleteStep([0], [0f], [0f], [1f], [false], [false]), "one AddObservations completes one step");
    }
}
