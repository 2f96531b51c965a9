using RLKit.Core.Tests.Hosting;
using RLKit.Environments.Wrappers;
using RLKit.Hosting;
using RLKit.Serialization;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Core.Tests.Training.Checkpoints;

[TestFixture]
public sealed class CheckpointTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "rlkit-checkpoint-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static LinearTestAgent NewAgent(ulong seed, int hidden = 4) => new(3, 2, new LinearTestOptions(Hidden: hidden, Gamma: 0.95f), seed);

    [Test]
    public void Round_trip_restores_the_weights_bit_exactly_in_the_agent_order()
    {
        var saved = NewAgent(seed: 1);
        string path = PathOf("agent.rlkit");
        Checkpoint.Save(saved, path);

        var loaded = NewAgent(seed: 2);
        Assume.That(loaded.Weights["policy.hidden.weight"].ToArray(), Is.Not.EqualTo(saved.Weights["policy.hidden.weight"].ToArray()));
        Checkpoint.LoadInto(loaded, path);

        var data = Checkpoint.Load(path);
        Assert.Multiple(() =>
        {
            Assert.That(data.Weights.Keys, Is.EqualTo(saved.Weights.Keys));
            foreach (var (name, tensor) in saved.Weights)
            {
                var expected = tensor.ToArray().Select(BitConverter.SingleToInt32Bits);
                Assert.That(loaded.Weights[name].ToArray().Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected), name);
                Assert.That(data.Weights[name].ShapeArray(), Is.EqualTo(tensor.ShapeArray()), name);
            }
        });
    }

    [Test]
    public void A_loaded_agent_gives_identical_actions()
    {
        var saved = NewAgent(seed: 3);
        string path = PathOf("agent.rlkit");
        Checkpoint.Save(saved, path);
        var loaded = NewAgent(seed: 4);
        Checkpoint.LoadInto(loaded, path);

        var rng = new RandomGenerator(5);
        var observations = Tensor.RandomUniform(rng, [64, 3], -1f, 1f);
        int[] expected = new int[64], actual = new int[64], before = new int[64];
        saved.Act(observations, expected, deterministic: true);
        NewAgent(seed: 4).Act(observations, before, deterministic: true);
        loaded.Act(observations, actual, deterministic: true);
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(before, Is.Not.EqualTo(expected), "the test needs agents that act differently before loading");
    }

    [Test]
    public void Metadata_holds_algorithm_options_spaces_normalizers_version_and_optimizer_state()
    {
        var agent = NewAgent(seed: 1, hidden: 5);
        var statistics = new RunningStatistics(42, [0.5, -1.25, 3], [1, 2, 0.25]);
        var optimizer = new Dictionary<string, Tensor> { ["step"] = Tensor.FromArray([7f], 1), ["m.0"] = Tensor.FromArray([1f, 2f], 2) };
        string path = PathOf("agent.rlkit");
        Checkpoint.Save(agent, path, new Dictionary<string, RunningStatistics> { ["observation"] = statistics }, optimizer,
                        new Dictionary<string, string> { ["env"] = "CartPole-v1" });

        var data = Checkpoint.Load(path);
        var metadata = data.Metadata;
        Assert.Multiple(() =>
        {
            Assert.That(metadata.FormatVersion, Is.EqualTo(Checkpoint.FormatVersion));
            Assert.That(metadata.Algorithm, Is.EqualTo(LinearTestAgent.Name));
            Assert.That(metadata.RLKitVersion, Is.EqualTo(Checkpoint.RLKitVersion).And.Not.Empty);
            Assert.That(metadata.OptionsType, Is.EqualTo(typeof(LinearTestOptions).FullName));
            Assert.That(data.GetOptions<LinearTestOptions>(), Is.EqualTo(new LinearTestOptions(5, 0.95f)));
            Assert.That(metadata.ObservationSpace.Kind, Is.EqualTo("Box"));
            Assert.That(metadata.ObservationSpace.Low, Is.EqualTo(new[] { -1f, -1f, -1f }));
            Assert.That(metadata.ActionSpace.ToSpace(), Is.TypeOf<Discrete>().With.Property("N").EqualTo(2));
            Assert.That(metadata.Normalizers!["observation"].Count, Is.EqualTo(42));
            Assert.That(metadata.Normalizers["observation"].Mean, Is.EqualTo(statistics.Mean));
            Assert.That(metadata.Normalizers["observation"].Variance, Is.EqualTo(statistics.Variance));
            Assert.That(metadata.Notes!["env"], Is.EqualTo("CartPole-v1"));
            Assert.That(data.OptimizerState!.Keys, Is.EqualTo(new[] { "step", "m.0" }));
            Assert.That(data.OptimizerState["m.0"].ToArray(), Is.EqualTo(new[] { 1f, 2f }));
        });
    }

    [Test]
    public void The_file_is_plain_safetensors_with_the_weights_under_their_own_names()
    {
        var agent = NewAgent(seed: 1);
        string path = PathOf("agent.rlkit");
        Checkpoint.Save(agent, path);
        var file = SafeTensors.Load(path);
        Assert.That(file.Tensors.Keys, Is.EquivalentTo(agent.Weights.Keys));
        Assert.That(file.Metadata, Contains.Key(Checkpoint.MetadataKey));
    }

    [Test]
    public void Infinite_box_bounds_survive_the_json()
    {
        var description = SpaceDescription.Of(new Box(float.NegativeInfinity, float.PositiveInfinity, 2));
        string json = System.Text.Json.JsonSerializer.Serialize(description, Checkpoint.JsonOptions);
        var back = System.Text.Json.JsonSerializer.Deserialize<SpaceDescription>(json, Checkpoint.JsonOptions)!;
        Assert.That(back.Matches(description), Is.True);
        Assert.That(back.Low, Is.EqualTo(new[] { float.NegativeInfinity, float.NegativeInfinity }));
    }

    [Test]
    public void A_mismatched_architecture_names_the_offending_key_and_both_shapes()
    {
        string path = PathOf("agent.rlkit");
        Checkpoint.Save(NewAgent(seed: 1, hidden: 4), path);
        var wider = NewAgent(seed: 2, hidden: 8);
        var before = wider.Weights["policy.hidden.weight"].ToArray();

        var error = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.LoadInto(wider, path));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("'policy.hidden.weight' has shape [8, 3] in the agent but [4, 3] in the checkpoint"));
            Assert.That(error.Message, Does.Contain("'policy.output.weight' has shape [2, 8] in the agent but [2, 4] in the checkpoint"));
            Assert.That(error.Problems, Has.Count.EqualTo(3)); // hidden weight, hidden bias, output weight
            Assert.That(wider.Weights["policy.hidden.weight"].ToArray(), Is.EqualTo(before), "nothing is copied on a mismatch");
        });
    }

    [Test]
    public void Another_algorithm_or_observation_space_is_named()
    {
        string path = PathOf("agent.rlkit");
        Checkpoint.Save(NewAgent(seed: 1), path);
        var other = new LinearTestAgent(4, 2, new LinearTestOptions(), 1, algorithm: "other");
        var error = Assert.Throws<CheckpointMismatchException>(() => Checkpoint.LoadInto(other, path));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("the agent is 'other', the checkpoint is 'linear-test'"));
            Assert.That(error.Message, Does.Contain("observation space"));
            Assert.That(error.Message, Does.Contain("'policy.hidden.weight' has shape [4, 4] in the agent but [4, 3] in the checkpoint"));
        });
    }

    [TestCase(1)]
    [TestCase(20)]
    [TestCase(200)]
    public void A_truncated_file_gives_a_clear_error(int bytesKept)
    {
        string path = PathOf("agent.rlkit");
        Checkpoint.Save(NewAgent(seed: 1), path);
        var bytes = File.ReadAllBytes(path);
        Assume.That(bytes.Length, Is.GreaterThan(bytesKept));
        File.WriteAllBytes(path, bytes[..bytesKept]);

        var error = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
        Assert.That(error!.Message, Does.Contain("agent.rlkit").And.Contain("truncated or corrupt"));
        Assert.That(error.FilePath, Is.EqualTo(Path.GetFullPath(path)));
    }

    [Test]
    public void A_file_cut_just_before_its_last_byte_gives_a_clear_error()
    {
        string path = PathOf("agent.rlkit");
        Checkpoint.Save(NewAgent(seed: 1), path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^1]);
        Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
    }

    [Test]
    public void Plain_safetensors_without_rlkit_metadata_is_not_a_checkpoint()
    {
        string path = PathOf("plain.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones(2) });
        var error = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
        Assert.That(error!.Message, Does.Contain("not an RLKit checkpoint"));
    }

    [Test]
    public void Saving_replaces_the_file_atomically_and_leaves_no_temporary_files()
    {
        string path = PathOf("agent.rlkit");
        Checkpoint.Save(NewAgent(seed: 1), path);
        Checkpoint.Save(NewAgent(seed: 2), path);
        Assert.That(Directory.GetFiles(_directory), Is.EqualTo(new[] { path }));
        var loaded = NewAgent(seed: 9);
        Checkpoint.LoadInto(loaded, path);
        Assert.That(loaded.Weights["policy.output.bias"].ToArray(), Is.EqualTo(NewAgent(seed: 2).Weights["policy.output.bias"].ToArray()));
    }

    [Test]
    public void Options_that_cannot_be_serialised_are_named()
    {
        var agent = new UnserialisableOptionsAgent(NewAgent(seed: 1));
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(agent, PathOf("agent.rlkit")));
        Assert.That(error!.Message, Does.Contain(nameof(UnserialisableOptions)));
        Assert.That(File.Exists(PathOf("agent.rlkit")), Is.False);
    }

    [Test]
    public void Notes_with_an_unpaired_surrogate_are_rejected_instead_of_rewritten()
    {
        string path = PathOf("agent.rlkit");
        foreach (var notes in new[]
                 {
                     new Dictionary<string, string> { ["env"] = "Cart\uD800Pole" },
                     new Dictionary<string, string> { ["env"] = "CartPole\uDC00" },
                     new Dictionary<string, string> { ["\uD83D"] = "CartPole" },
                 })
        {
            var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(NewAgent(seed: 1), path, notes: notes));
            Assert.That(error!.ParamName, Is.EqualTo("notes"));
            Assert.That(error.Message, Does.Contain("unpaired surrogate").And.Contain("note"));
            Assert.That(File.Exists(path), Is.False);
        }

        Checkpoint.Save(NewAgent(seed: 1), path, notes: new Dictionary<string, string> { ["env"] = "CartPole \uD83D\uDE80" });
        Assert.That(Checkpoint.Load(path).Metadata.Notes!["env"], Is.EqualTo("CartPole \uD83D\uDE80"));
    }

    [Test]
    public void LoadAgent_rebuilds_a_registered_algorithm_with_its_options_and_weights()
    {
        var algorithms = new AlgorithmRegistry();
        algorithms.TryAdd(LinearTestAgent.Factory());
        var saved = NewAgent(seed: 1, hidden: 6);
        string path = PathOf("agent.rlkit");
        Checkpoint.Save(saved, path);

        var loaded = (LinearTestAgent)Checkpoint.LoadAgent(path, algorithms);
        Assert.That(loaded.TypedOptions, Is.EqualTo(saved.TypedOptions));
        Assert.That(loaded.Weights["policy.hidden.weight"].ToArray(), Is.EqualTo(saved.Weights["policy.hidden.weight"].ToArray()));
    }

    [Test]
    public void LoadAgent_without_the_algorithm_names_it_and_lists_the_registered_ones_and_the_modules()
    {
        string path = PathOf("agent.rlkit");
        Checkpoint.Save(NewAgent(seed: 1), path);
        var algorithms = new AlgorithmRegistry();
        algorithms.TryAdd(LinearTestAgent.Factory("other-test"));

        var error = Assert.Throws<InvalidOperationException>(() => Checkpoint.LoadAgent(path, algorithms));
        Assert.That(error!.Message, Does.Contain("'linear-test'").And.Contain("registered: other-test")
                                        .And.Contain("RLKit modules found in this application: RLKit.Core.Tests (TestModule)"));
        var byDefault = Assert.Throws<InvalidOperationException>(() => Checkpoint.LoadAgent(path));
        Assert.That(byDefault!.Message, Does.Contain("'linear-test'").And.Contain(TestModule.Algorithm));
    }

    private sealed record UnserialisableOptions(Func<int> Callback);

    private sealed class UnserialisableOptionsAgent(LinearTestAgent inner) : ICheckpointable
    {
        public string Algorithm => inner.Algorithm;
        public Space ObservationSpace => inner.ObservationSpace;
        public Space ActionSpace => inner.ActionSpace;
        public IReadOnlyDictionary<string, Tensor> Weights => inner.Weights;
        public object Options { get; } = new UnserialisableOptions(() => 1);
        public void LoadWeights(IReadOnlyDictionary<string, Tensor> weights) => inner.LoadWeights(weights);
        public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) => inner.Act(observations, actions, deterministic, rng);
        public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) => inner.Act(observations, actions, deterministic, rng);
    }
}
