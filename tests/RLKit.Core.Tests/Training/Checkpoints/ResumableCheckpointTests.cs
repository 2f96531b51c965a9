using RLKit.Optim;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training.Checkpoints;

namespace RLKit.Core.Tests.Training.Checkpoints;

/// <summary>
/// The resume path of <see cref="IResumableAgent"/>: <see cref="Checkpoint.Save"/> writes the agent's optimizer state,
/// loading puts it back, and <see cref="OptimizerStates"/> packs and restores several optimizers by prefix.
/// </summary>
[TestFixture]
public sealed class ResumableCheckpointTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "rlkit-resumable-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static ResumableTestAgent NewAgent(ulong seed) => new(new LinearTestAgent(3, 2, new LinearTestOptions(), seed));

    /// <summary>Takes <paramref name="steps"/> Adam steps on the sum of squared weights, so moments and step counts are non-trivial.</summary>
    private static Adam TrainedAdam(ResumableTestAgent agent, int steps)
    {
        var parameters = agent.Weights.Values.ToList();
        var adam = new Adam(parameters, learningRate: 0.01f);
        for (int i = 0; i < steps; i++)
        {
            adam.ZeroGrad();
            Tensor loss = (parameters[0] * parameters[0]).Sum();
            foreach (var p in parameters.Skip(1)) loss = loss + (p * p).Sum();
            loss.Backward();
            adam.Step();
        }
        return adam;
    }

    private static void AssertSameState(IReadOnlyDictionary<string, Tensor>? actual, IReadOnlyDictionary<string, Tensor> expected)
    {
        Assert.That(actual, Is.Not.Null);
        Assert.That(actual!.Keys, Is.EquivalentTo(expected.Keys));
        foreach (var (key, tensor) in expected)
        {
            Assert.That(actual[key].ShapeArray(), Is.EqualTo(tensor.ShapeArray()), key);
            Assert.That(actual[key].ToArray(), Is.EqualTo(tensor.ToArray()), key);
        }
    }

    [Test]
    public void Save_writes_the_agents_optimizer_state_and_LoadInto_puts_it_back()
    {
        var agent = NewAgent(seed: 1);
        agent.OptimizerState = OptimizerStates.Capture(("policy", TrainedAdam(agent, steps: 3)));
        string path = Path.Combine(_directory, "agent.rlkit");
        Checkpoint.Save(agent, path);

        var data = Checkpoint.Load(path);
        AssertSameState(data.OptimizerState, agent.OptimizerState);
        Assert.That(data.OptimizerState!.Keys, Has.Member("policy.step").And.Member("policy.exp_avg.0"));

        var restored = NewAgent(seed: 2);
        Checkpoint.LoadInto(restored, path);
        AssertSameState(restored.OptimizerState, agent.OptimizerState);
    }

    [Test]
    public void An_explicit_optimizer_state_wins_and_an_agent_without_one_writes_none()
    {
        var agent = NewAgent(seed: 1);
        agent.OptimizerState = OptimizerStates.Capture(("policy", TrainedAdam(agent, steps: 1)));
        var explicitState = new Dictionary<string, Tensor> { ["custom"] = Tensor.FromArray([5f], 1) };
        string explicitPath = Path.Combine(_directory, "explicit.rlkit");
        Checkpoint.Save(agent, explicitPath, optimizerState: explicitState);
        Assert.That(Checkpoint.Load(explicitPath).OptimizerState!.Keys, Is.EqualTo(new[] { "custom" }));

        string plainPath = Path.Combine(_directory, "plain.rlkit");
        Checkpoint.Save(NewAgent(seed: 3), plainPath);
        Assert.That(Checkpoint.Load(plainPath).OptimizerState, Is.Null);
        // Loading a checkpoint without optimizer state clears a stale one: the agent now is that checkpoint.
        Checkpoint.LoadInto(agent, plainPath);
        Assert.That(agent.OptimizerState, Is.Null);
    }

    [Test]
    public void Restore_continues_the_step_count_and_keeps_the_resuming_learning_rate()
    {
        var agent = NewAgent(seed: 1);
        var state = OptimizerStates.Capture(("policy", TrainedAdam(agent, steps: 4)));

        var resumed = new Adam(agent.Weights.Values, learningRate: 0.5f);
        OptimizerStates.Restore(state, ("policy", resumed));

        Assert.That(resumed.StepCount(0), Is.EqualTo(4));
        Assert.That(resumed.LearningRate, Is.EqualTo(0.5f));
        AssertSameState(OptimizerStates.Capture(("policy", resumed)).Where(e => e.Key != "policy.lr").ToDictionary(),
                        state.Where(e => e.Key != "policy.lr").ToDictionary());
    }

    [Test]
    public void A_state_that_does_not_fit_names_the_optimizer_and_changes_nothing()
    {
        var agent = NewAgent(seed: 1);
        var state = OptimizerStates.Capture(("actor", TrainedAdam(agent, steps: 2)), ("critic", TrainedAdam(agent, steps: 2)));
        var actor = new Adam(agent.Weights.Values, learningRate: 0.1f);
        var critic = new Adam(agent.Weights.Values.Take(1), learningRate: 0.1f);

        var error = Assert.Throws<InvalidOperationException>(() => OptimizerStates.Restore(state, ("actor", actor), ("critic", critic)));
        Assert.That(error!.Message, Does.Contain("'critic'").And.Contain("OptimizerState to null"));
        Assert.That(actor.StepCount(0), Is.Zero, "the actor optimizer, loaded before the critic failed, is rolled back");
        Assert.That(critic.StepCount(0), Is.Zero);
    }

    [Test]
    public void Restore_from_null_leaves_the_optimizers_fresh()
    {
        var agent = NewAgent(seed: 1);
        var adam = new Adam(agent.Weights.Values, learningRate: 0.1f);
        OptimizerStates.Restore(null, ("policy", adam));
        Assert.That(adam.StepCount(0), Is.Zero);
    }

    private sealed class ResumableTestAgent(LinearTestAgent inner) : IResumableAgent
    {
        public string Algorithm => inner.Algorithm;
        public Space ObservationSpace => inner.ObservationSpace;
        public Space ActionSpace => inner.ActionSpace;
        public IReadOnlyDictionary<string, Tensor> Weights => inner.Weights;
        public object Options => inner.Options;
        public IReadOnlyDictionary<string, Tensor>? OptimizerState { get; set; }
        public TrainingState? TrainingState { get; set; }
        public void LoadWeights(IReadOnlyDictionary<string, Tensor> weights) => inner.LoadWeights(weights);
        public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) => inner.Act(observations, actions, deterministic, rng);
        public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) => inner.Act(observations, actions, deterministic, rng);
    }
}
