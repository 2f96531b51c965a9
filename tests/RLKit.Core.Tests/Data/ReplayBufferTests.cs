using RLKit.Data;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Data;

/// <summary>Uniform and n-step replay: wrap-around, determinism, episode ends, allocation and argument errors.</summary>
public class ReplayBufferTests
{
    private static ReplayBuffer CountingBuffer(int capacity, int transitions)
    {
        var buffer = new ReplayBuffer(1, ActionLayout.Discrete(4), new ReplayBufferOptions { Capacity = capacity });
        for (int t = 0; t < transitions; t++) buffer.Add([t], t % 4, t, [t + 0.5f], false, false);
        return buffer;
    }

    [Test]
    public void WrapAroundKeepsTheNewestTransitions()
    {
        var buffer = CountingBuffer(capacity: 5, transitions: 12);
        Assert.That(buffer.Count, Is.EqualTo(5));

        var seen = new HashSet<float>();
        var rng = new RandomGenerator(3);
        for (int i = 0; i < 20; i++)
        {
            var batch = buffer.Sample(16, rng);
            var obs = batch.Observations.AsReadOnlySpan();
            var rewards = batch.Rewards.AsReadOnlySpan();
            var next = batch.NextObservations.AsReadOnlySpan();
            for (int b = 0; b < batch.Size; b++)
            {
                seen.Add(obs[b]);
                Assert.That(rewards[b], Is.EqualTo(obs[b]), "each row must come from one transition");
                Assert.That(next[b], Is.EqualTo(obs[b] + 0.5f));
                Assert.That(batch.ActionIndices[b], Is.EqualTo((int)obs[b] % 4));
                Assert.That(batch.Actions.AsReadOnlySpan()[b], Is.EqualTo((float)((int)obs[b] % 4)));
            }
        }
        Assert.That(seen, Is.EquivalentTo(new float[] { 7, 8, 9, 10, 11 }));
    }

    [Test]
    public void SamplingIsDeterministicForASeed()
    {
        float[] Draw(int seed)
        {
            var buffer = CountingBuffer(capacity: 50, transitions: 80);
            var rng = new RandomGenerator(seed);
            buffer.Sample(32, rng);
            return buffer.Sample(32, rng).Observations.ToArray();
        }

        var first = Draw(7);
        var again = Draw(7);
        Assert.That(again, Is.EqualTo(first));
        Assert.That(Draw(8), Is.Not.EqualTo(first));
    }

    [Test]
    public void SampleReusesItsBatch()
    {
        var buffer = CountingBuffer(capacity: 10, transitions: 10);
        var rng = new RandomGenerator(1);
        var first = buffer.Sample(4, rng);
        var second = buffer.Sample(4, rng);
        Assert.That(second, Is.SameAs(first));
        Assert.That(second.Observations, Is.SameAs(first.Observations));
    }

    [Test]
    public void OneStepBatchMarksOnlyTerminationAsDone()
    {
        var buffer = new ReplayBuffer(1, ActionLayout.Discrete(), new ReplayBufferOptions { Capacity = 3, Gamma = 0.9f });
        buffer.Add([0f], 0, 1f, [10f], terminated: false, truncated: false);
        buffer.Add([1f], 0, 1f, [11f], terminated: true, truncated: false);
        buffer.Add([2f], 0, 1f, [12f], terminated: false, truncated: true);
        var rng = new RandomGenerator(5);
        var batch = buffer.Sample(64, rng);
        for (int b = 0; b < batch.Size; b++)
        {
            float obs = batch.Observations.AsReadOnlySpan()[b];
            Assert.That(batch.Dones.AsReadOnlySpan()[b], Is.EqualTo(obs == 1f ? 1f : 0f), $"obs {obs}");
            Assert.That(batch.Discounts.AsReadOnlySpan()[b], Is.EqualTo(0.9f));
            Assert.That(batch.NextObservations.AsReadOnlySpan()[b], Is.EqualTo(obs + 10f));
            Assert.That(batch.Weights.AsReadOnlySpan()[b], Is.EqualTo(1f));
        }
    }

    [Test]
    public void NStepTransitionsCutAtEpisodeEndsAcrossTheWrap()
    {
        // 2 envs, 4 rows, 6 steps added: rows hold steps 2..5 (rows 2, 3, 0, 1), so windows from step 3 wrap.
        // Observation of env e at step t is [e, t]; next observation [e, t + 1], except env 0's truncated step 4,
        // whose final observation is [0, 99], and its terminated step 2 ([0, 77]).
        // env 0 rewards 1..6: terminated at 2, truncated at 4. env 1 rewards 10..15: no episode end.
        var buffer = new ReplayBuffer(2, ActionLayout.Continuous(1), new ReplayBufferOptions { Capacity = 8, EnvCount = 2, NStep = 3, Gamma = 0.5f });
        for (int t = 0; t < 6; t++)
        {
            float[] obs = [0f, t, 1f, t];
            float[] next = [0f, t == 4 ? 99f : t == 2 ? 77f : t + 1, 1f, t + 1];
            buffer.Add(obs, [(float)t, -t], [1f + t, 10f + t], next, [t == 2, false], [t == 4, false]);
        }

        // (env, step) → (n-step reward, discount γ^m, done, next observation's step)
        var expected = new Dictionary<(int, int), (float Reward, float Discount, float Done, float Next)>
        {
            [(0, 2)] = (3f, 0.5f, 1f, 77f),                    // terminal: m = 1
            [(0, 3)] = (4f + 0.5f * 5f, 0.25f, 0f, 99f),       // cut at the truncation, bootstraps from its final obs
            [(0, 4)] = (5f, 0.5f, 0f, 99f),
            [(0, 5)] = (6f, 0.5f, 0f, 6f),                     // newest step: nothing to look ahead to
            [(1, 2)] = (12f + 6.5f + 3.5f, 0.125f, 0f, 5f),    // full window: steps 2, 3, 4
            [(1, 3)] = (13f + 7f + 3.75f, 0.125f, 0f, 6f),     // steps 3, 4, 5 (wraps from row 3 to rows 0, 1)
            [(1, 4)] = (14f + 7.5f, 0.25f, 0f, 6f),
            [(1, 5)] = (15f, 0.5f, 0f, 6f),
        };

        var seen = new HashSet<(int, int)>();
        var batch = buffer.Sample(200, new RandomGenerator(11));
        var obsSpan = batch.Observations.AsReadOnlySpan();
        var nextSpan = batch.NextObservations.AsReadOnlySpan();
        for (int b = 0; b < batch.Size; b++)
        {
            var key = ((int)obsSpan[2 * b], (int)obsSpan[2 * b + 1]);
            seen.Add(key);
            var e = expected[key];
            Assert.That(batch.Rewards.AsReadOnlySpan()[b], Is.EqualTo(e.Reward).Within(1e-6f), $"reward of {key}");
            Assert.That(batch.Discounts.AsReadOnlySpan()[b], Is.EqualTo(e.Discount), $"discount of {key}");
            Assert.That(batch.Dones.AsReadOnlySpan()[b], Is.EqualTo(e.Done), $"done of {key}");
            Assert.That(nextSpan[2 * b + 1], Is.EqualTo(e.Next), $"next observation of {key}");
            Assert.That(nextSpan[2 * b], Is.EqualTo(key.Item1), "the window never leaves its environment");
            Assert.That(batch.Actions.AsReadOnlySpan()[b], Is.EqualTo(key.Item1 == 0 ? key.Item2 : -key.Item2));
        }
        Assert.That(seen, Has.Count.EqualTo(8));
    }

    [Test]
    public void AddAllocatesNothingAfterConstruction()
    {
        const int envs = 4, obsSize = 3;
        var uniform = new ReplayBuffer(obsSize, ActionLayout.Discrete(2), new ReplayBufferOptions { Capacity = 64, EnvCount = envs, NStep = 3 });
        var prioritized = new ReplayBuffer(obsSize, ActionLayout.Continuous(2),
            new ReplayBufferOptions { Capacity = 64, EnvCount = envs, Prioritized = new PrioritizedReplayOptions() });
        var single = new ReplayBuffer(obsSize, ActionLayout.Discrete(2), new ReplayBufferOptions { Capacity = 16 });
        var obs = new float[envs * obsSize];
        var next = new float[envs * obsSize];
        var discrete = new int[envs];
        var continuous = new float[envs * 2];
        var rewards = new float[envs];
        var terminated = new bool[envs];
        var truncated = new bool[envs];
        var rng = new RandomGenerator(1);

        void AddAll()
        {
            uniform.Add(obs, discrete, rewards, next, terminated, truncated);
            prioritized.Add(obs, continuous, rewards, next, terminated, truncated);
            single.Add(obs.AsSpan(0, obsSize), 1, 0.5f, next.AsSpan(0, obsSize), false, true);
            single.Add(obs.AsSpan(0, obsSize), 1, 0.5f, next.AsSpan(0, obsSize), false, false);
            uniform.Sample(8, rng);
            prioritized.Sample(8, rng);
        }

        AddAll(); // first Sample of a size allocates its batch
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) AddAll();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.Zero);
    }

    [Test]
    public void WrongSizesAreRejectedNamingTheArgument()
    {
        var buffer = new ReplayBuffer(3, ActionLayout.Discrete(2), new ReplayBufferOptions { Capacity = 8, EnvCount = 2 });
        var obs = new float[6];
        void Expect(string name, TestDelegate add)
        {
            var ex = Assert.Catch<ArgumentException>(add);
            Assert.That(ex!.ParamName, Is.EqualTo(name));
        }
        Expect("observations", () => buffer.Add(new float[5], new int[2], new float[2], obs, new bool[2], new bool[2]));
        Expect("nextObservations", () => buffer.Add(obs, new int[2], new float[2], new float[7], new bool[2], new bool[2]));
        Expect("actions", () => buffer.Add(obs, new int[3], new float[2], obs, new bool[2], new bool[2]));
        Expect("actions", () => buffer.Add(obs, new[] { 0, 2 }, new float[2], obs, new bool[2], new bool[2]));
        Expect("rewards", () => buffer.Add(obs, new int[2], new float[1], obs, new bool[2], new bool[2]));
        Expect("rewards", () => buffer.Add(obs, new int[2], new[] { 0f, float.NaN }, obs, new bool[2], new bool[2]));
        Expect("terminated", () => buffer.Add(obs, new int[2], new float[2], obs, new bool[1], new bool[2]));
        Expect("truncated", () => buffer.Add(obs, new int[2], new float[2], obs, new bool[2], new bool[3]));
        Expect("observations", () => buffer.Add(new[] { 0f, 0f, float.NaN, 0f, 0f, 0f }, new int[2], new float[2], obs, new bool[2], new bool[2]));
        Expect("nextObservations", () => buffer.Add(obs, new int[2], new float[2], new[] { 0f, 0f, 0f, 0f, float.PositiveInfinity, 0f }, new bool[2], new bool[2]));
        Assert.Throws<InvalidOperationException>(() => buffer.Add(obs, new float[2], new float[2], obs, new bool[2], new bool[2]));
        Assert.Throws<InvalidOperationException>(() => buffer.Add(obs.AsSpan(0, 3), 0, 0f, obs.AsSpan(0, 3), false, false));
        Assert.Throws<InvalidOperationException>(() => buffer.Sample(4, new RandomGenerator(1)));
        Assert.That(buffer.Count, Is.Zero, "rejected transitions must not be stored");

        Expect("Capacity", () => _ = new ReplayBuffer(3, ActionLayout.Discrete(), new ReplayBufferOptions { Capacity = 3, EnvCount = 4 }));
        Expect("NStep", () => _ = new ReplayBuffer(3, ActionLayout.Discrete(), new ReplayBufferOptions { NStep = 0 }));
        Expect("Gamma", () => _ = new ReplayBuffer(3, ActionLayout.Discrete(), new ReplayBufferOptions { Gamma = 1.5f }));
        Expect("observationSize", () => _ = new ReplayBuffer(0, ActionLayout.Discrete()));
        Expect("batchSize", () => CountingBuffer(4, 4).Sample(0, new RandomGenerator(1)));
    }

    [Test]
    public void MultiTaskBufferKeepsTasksApart()
    {
        var buffers = new MultiTaskReplayBuffer(3, 1, ActionLayout.Discrete(), new ReplayBufferOptions { Capacity = 10 });
        for (int task = 0; task < 3; task++)
            for (int i = 0; i <= task; i++)
                buffers[task].Add([task], 0, 0f, [task], false, false);

        Assert.That(buffers.TotalCount, Is.EqualTo(6));
        var rng = new RandomGenerator(2);
        var batch0 = buffers.Sample(0, 8, rng);
        var batch2 = buffers.Sample(2, 8, rng);
        Assert.That(batch0.Observations.ToArray(), Is.All.EqualTo(0f), "batches of different tasks stay valid together");
        Assert.That(batch2.Observations.ToArray(), Is.All.EqualTo(2f));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => buffers.Sample(3, 8, rng));
        Assert.That(ex!.ParamName, Is.EqualTo("taskId"));
    }
}

/// <summary>Adding a row in two parts around the environment step (AddObservations, then CompleteStep).</summary>
public class ReplayBufferTwoPartAddTests
{
    [Test]
    public void TwoPartsStoreTheSameTransitionAsOneAdd()
    {
        var whole = new ReplayBuffer(2, ActionLayout.Continuous(1), new ReplayBufferOptions { Capacity = 4, EnvCount = 2 });
        var parts = new ReplayBuffer(2, ActionLayout.Continuous(1), new ReplayBufferOptions { Capacity = 4, EnvCount = 2 });
        for (int t = 0; t < 3; t++)
        {
            float[] s = [t, t + 0.1f, t + 0.2f, t + 0.3f], a = [t * 0.5f, -t], r = [t, 2 * t], next = [t + 1, t + 1.1f, t + 1.2f, t + 1.3f];
            bool[] terminated = [t == 2, false], truncated = [false, t == 1];
            whole.Add(s, a, r, next, terminated, truncated);
            parts.AddObservations(s);
            parts.CompleteStep(a, r, next, terminated, truncated);
        }
        var x = whole.Sample(32, new RandomGenerator(5));
        var y = parts.Sample(32, new RandomGenerator(5));
        Assert.That(y.Observations.ToArray(), Is.EqualTo(x.Observations.ToArray()));
        Assert.That(y.Actions.ToArray(), Is.EqualTo(x.Actions.ToArray()));
        Assert.That(y.Rewards.ToArray(), Is.EqualTo(x.Rewards.ToArray()));
        Assert.That(y.NextObservations.ToArray(), Is.EqualTo(x.NextObservations.ToArray()));
        Assert.That(y.Dones.ToArray(), Is.EqualTo(x.Dones.ToArray()));
    }

    [Test]
    public void AHalfAddedRowCannotBeSampledAndCompletingNeedsObservations()
    {
        var buffer = new ReplayBuffer(1, ActionLayout.Discrete(2), new ReplayBufferOptions { Capacity = 2 });
        var early = Assert.Throws<InvalidOperationException>(() => buffer.CompleteStep([0], [1f], [0f], [false], [false]));
        Assert.That(early!.Message, Does.Contain("AddObservations"));
        buffer.Add([1f], 0, 1f, [2f], false, false);
        buffer.Add([2f], 1, 1f, [3f], false, false);
        buffer.AddObservations([3f]); // full: this row overwrites the oldest transition
        var sample = Assert.Throws<InvalidOperationException>(() => buffer.Sample(4, new RandomGenerator(1)));
        Assert.That(sample!.Message, Does.Contain("half-added"));
        buffer.CompleteStep([1], [1f], [4f], [false], [false]);
        var observations = buffer.Sample(64, new RandomGenerator(1)).Observations.ToArray();
        Assert.That(observations.Distinct().Order(), Is.EqualTo(new[] { 2f, 3f }));
    }

    [Test]
    public void ARejectedAddLeavesTheBufferAsItWas()
    {
        var buffer = new ReplayBuffer(1, ActionLayout.Discrete(2), new ReplayBufferOptions { Capacity = 2 });
        buffer.Add([1f], 0, 1f, [2f], false, false);
        buffer.Add([2f], 1, 1f, [3f], false, false);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Add([9f], 5, 1f, [9f], false, false), "action 5 is outside Discrete(2)");
        Assert.That(buffer.Count, Is.EqualTo(2));
        var observations = buffer.Sample(64, new RandomGenerator(1)).Observations.ToArray();
        Assert.That(observations.Distinct().Order(), Is.EqualTo(new[] { 1f, 2f }), "the rejected row wrote nothing");
    }
}
