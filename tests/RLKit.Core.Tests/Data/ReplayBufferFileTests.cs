using RLKit.Data;
using RLKit.Serialization;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Data;

/// <summary>
/// <see cref="ReplayBuffer.Save"/> and <see cref="ReplayBuffer.Load"/>: a loaded buffer samples exactly as the saved one
/// would have (transitions, n-step windows, priorities, β annealing, write position), and a damaged or foreign file is
/// refused with an <see cref="InvalidDataException"/> that names the file and the problem.
/// </summary>
[TestFixture]
public class ReplayBufferFileTests
{
    private static ReplayBuffer Filled(ActionLayout actions, ReplayBufferOptions options, int steps, ulong seed)
    {
        var rng = new RandomGenerator(seed);
        var buffer = new ReplayBuffer(3, actions, options);
        int envs = options.EnvCount;
        var observations = new float[envs * 3];
        var next = new float[envs * 3];
        var rewards = new float[envs];
        var terminated = new bool[envs];
        var truncated = new bool[envs];
        var discrete = new int[envs];
        var continuous = new float[envs * actions.Size];
        for (int t = 0; t < steps; t++)
        {
            rng.FillNormal(observations);
            rng.FillNormal(next);
            rng.FillNormal(rewards);
            for (int e = 0; e < envs; e++)
            {
                terminated[e] = rng.NextInt(7) == 0;
                truncated[e] = rng.NextInt(9) == 0;
                discrete[e] = rng.NextInt(Math.Max(actions.ActionCount, 1));
            }
            rng.FillUniform(continuous, -1f, 1f);
            if (actions.IsDiscrete) buffer.Add(observations, discrete, rewards, next, terminated, truncated);
            else buffer.Add(observations, continuous, rewards, next, terminated, truncated);
        }
        return buffer;
    }

    private static IEnumerable<TestCaseData> Layouts()
    {
        yield return new TestCaseData(ActionLayout.Discrete(4), new ReplayBufferOptions { Capacity = 60, EnvCount = 3 }, 9).SetName("discrete, part full");
        yield return new TestCaseData(ActionLayout.Continuous(2), new ReplayBufferOptions { Capacity = 40, EnvCount = 2, NStep = 3, Gamma = 0.9f }, 33)
            .SetName("continuous, wrapped, 3-step");
        yield return new TestCaseData(ActionLayout.Discrete(5), new ReplayBufferOptions
        {
            Capacity = 30, EnvCount = 2, NStep = 2, Prioritized = new PrioritizedReplayOptions { BetaAnnealingSamples = 50 },
        }, 25).SetName("prioritized, wrapped");
        yield return new TestCaseData(ActionLayout.Discrete(2), new ReplayBufferOptions { Capacity = 10 }, 0).SetName("empty");
    }

    [TestCaseSource(nameof(Layouts))]
    public void A_loaded_buffer_samples_and_fills_exactly_as_the_saved_one(ActionLayout actions, ReplayBufferOptions options, int steps)
    {
        using var directory = new TemporaryDirectory("rlkit-replay");
        var saved = Filled(actions, options, steps, seed: 1);
        if (saved.IsPrioritized)
        {
            // Give the priorities history: sampled slots get new priorities from "TD errors".
            var batch = saved.Sample(8, new RandomGenerator(2));
            saved.UpdatePriorities(batch.Indices, [0.5f, 3f, 0.01f, 2f, 7f, 0.2f, 1f, 4f]);
        }
        saved.Save(directory.File("buffer.replay"));
        var loaded = ReplayBuffer.Load(directory.File("buffer.replay"));

        Assert.That(loaded.Options, Is.EqualTo(saved.Options));
        Assert.That(loaded.Actions, Is.EqualTo(saved.Actions));
        Assert.That(loaded.Count, Is.EqualTo(saved.Count));
        Assert.That(loaded.CurrentBeta, Is.EqualTo(saved.CurrentBeta));

        // Keep filling both (the write position wraps on), then sample both with the same generator: same batches.
        foreach (var buffer in new[] { saved, loaded }) AddMore(buffer, actions, options.EnvCount);
        var (rngA, rngB) = (new RandomGenerator(3), new RandomGenerator(3));
        for (int round = 0; round < 3; round++)
        {
            var a = Snapshot(saved.Sample(16, rngA));
            var b = Snapshot(loaded.Sample(16, rngB));
            Assert.That(b, Is.EqualTo(a), $"round {round}");
        }
    }

    private static void AddMore(ReplayBuffer buffer, ActionLayout actions, int envs)
    {
        var values = Enumerable.Range(0, envs * 3).Select(i => i * 0.25f).ToArray();
        var rewards = Enumerable.Repeat(1.5f, envs).ToArray();
        var flags = new bool[envs];
        if (actions.IsDiscrete) buffer.Add(values, new int[envs], rewards, values, flags, flags);
        else buffer.Add(values, new float[envs * actions.Size], rewards, values, flags, flags);
    }

    private static float[][] Snapshot(ReplayBatch batch) =>
    [
        batch.Observations.ToArray(), batch.Actions.ToArray(), batch.Rewards.ToArray(), batch.NextObservations.ToArray(),
        batch.Dones.ToArray(), batch.Discounts.ToArray(), batch.Weights.ToArray(), Array.ConvertAll(batch.Indices.ToArray(), i => (float)i),
    ];

    /// <summary>Saves a 30-slot buffer of 8 rows × 3 environments with discrete actions in [0, 4); returns its path.</summary>
    private static string SaveSmallBuffer(TemporaryDirectory directory)
    {
        string path = directory.File("buffer.replay");
        Filled(ActionLayout.Discrete(4), new ReplayBufferOptions { Capacity = 30, EnvCount = 3 }, 8, 1).Save(path);
        return path;
    }

    [Test]
    public void Saving_a_half_added_row_is_refused()
    {
        var buffer = new ReplayBuffer(3, ActionLayout.Discrete(2));
        buffer.AddObservations([1f, 2f, 3f]);
        using var directory = new TemporaryDirectory("rlkit-replay");
        var e = Assert.Throws<InvalidOperationException>(() => buffer.Save(directory.File("buffer.replay")));
        Assert.That(e!.Message, Does.Contain("half-added"));
        Assert.That(File.Exists(directory.File("buffer.replay")), Is.False);
    }

    [Test]
    public void A_missing_file_is_a_FileNotFoundException() =>
        Assert.Throws<FileNotFoundException>(() => ReplayBuffer.Load(Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.replay")));

    [Test]
    public void A_truncated_file_is_refused_naming_it()
    {
        using var directory = new TemporaryDirectory("rlkit-replay");
        string path = SaveSmallBuffer(directory);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);

        var e = Assert.Throws<InvalidDataException>(() => ReplayBuffer.Load(path));
        Assert.That(e!.Message, Does.Contain(path).And.Contain("truncated or corrupt"));
    }

    [Test]
    public void A_safetensors_file_that_is_no_replay_buffer_is_refused()
    {
        using var directory = new TemporaryDirectory("rlkit-replay");
        string path = directory.File("weights.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones(2, 2) }, new Dictionary<string, string> { ["rlkit.checkpoint"] = "{}" });

        var e = Assert.Throws<InvalidDataException>(() => ReplayBuffer.Load(path));
        Assert.That(e!.Message, Does.Contain("no 'rlkit.replay_buffer' metadata").And.Contain("Checkpoint.Load"));
    }

    private static IEnumerable<TestCaseData> Damages()
    {
        yield return new TestCaseData("rewards", (Func<Tensor, Tensor>)(t => Tensor.Zeros(t.Dim(0) - 1)), "shape").SetName("a tensor of the wrong shape");
        yield return new TestCaseData("terminated", (Func<Tensor, Tensor>)(t => Tensor.Full(0.5f, t.ShapeArray())), "flags must be 0 or 1").SetName("a flag that is no flag");
        yield return new TestCaseData("actions", (Func<Tensor, Tensor>)(t => Tensor.Full(9f, t.ShapeArray())), "not an integer in [0, 4)").SetName("an action outside the space");
        yield return new TestCaseData("observations", (Func<Tensor, Tensor>)(t => Tensor.Full(float.NaN, t.ShapeArray())), "must be finite").SetName("a NaN observation");
    }

    [TestCaseSource(nameof(Damages))]
    public void A_file_whose_values_do_not_fit_its_header_is_refused_naming_the_tensor(string tensor, Func<Tensor, Tensor> damage, string problem)
    {
        using var directory = new TemporaryDirectory("rlkit-replay");
        string path = SaveSmallBuffer(directory);
        var file = SafeTensors.Load(path);
        var tensors = file.Tensors.ToDictionary(t => t.Key, t => t.Value);
        tensors[tensor] = damage(tensors[tensor]);
        SafeTensors.Save(path, tensors, file.Metadata);

        var e = Assert.Throws<InvalidDataException>(() => ReplayBuffer.Load(path));
        Assert.That(e!.Message, Does.Contain(path).And.Contain($"'{tensor}'").And.Contain(problem));
    }

    [Test]
    public void A_header_describing_an_impossible_buffer_is_refused()
    {
        using var directory = new TemporaryDirectory("rlkit-replay");
        string path = SaveSmallBuffer(directory);
        var file = SafeTensors.Load(path);
        foreach (var (edit, problem) in new[] { ("\"FilledRows\":8", "\"FilledRows\":11"), ("\"EnvCount\":3", "\"EnvCount\":0"), ("\"FormatVersion\":1", "\"FormatVersion\":2") })
        {
            string json = file.Metadata[ReplayBuffer.MetadataKey];
            Assert.That(json, Does.Contain(edit));
            SafeTensors.Save(path, file.Tensors, new Dictionary<string, string> { [ReplayBuffer.MetadataKey] = json.Replace(edit, problem) });
            var e = Assert.Throws<InvalidDataException>(() => ReplayBuffer.Load(path), problem);
            Assert.That(e!.Message, Does.Contain(path), problem);
        }
    }

    [Test]
    public void A_header_asking_for_more_memory_than_the_limit_is_refused_before_allocating_it()
    {
        using var directory = new TemporaryDirectory("rlkit-replay");
        string path = SaveSmallBuffer(directory);
        var file = SafeTensors.Load(path);
        string json = file.Metadata[ReplayBuffer.MetadataKey];
        Assert.That(json, Does.Contain("\"Capacity\":30"));
        SafeTensors.Save(path, file.Tensors, new Dictionary<string, string> { [ReplayBuffer.MetadataKey] = json.Replace("\"Capacity\":30", "\"Capacity\":300000000") });

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => ReplayBuffer.Load(path, maxBytes: 64L << 20));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(e!.Message, Does.Contain("more than the limit of 67108864"));
        Assert.That(allocated, Is.LessThan(4L << 20), "the 7 GB buffer is refused before it is allocated");
    }
}
