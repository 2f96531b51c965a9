using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Hosting;
using RLKit.Algorithms.Reinforce;
using RLKit.Algorithms.SoftQ;
using RLKit.Envs;
using RLKit.Hosting;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests;

/// <summary>
/// Save → <see cref="Checkpoint.LoadAgent"/> round-trips of the classic discrete agents, restored through the default
/// registry (RLKit.Algorithms' module): the rebuilt agent has the same algorithm, weights and greedy actions.
/// </summary>
[TestFixture]
public class CheckpointRoundTripTests
{
    private const int TrainingSteps = 300;

    // Small networks and early, frequent updates so a few hundred CartPole steps move every weight away from its
    // seeded initialisation: a loader that rebuilt the architecture but skipped the weights would then act differently.
    private static IEnumerable<TestCaseData> TrainedAgents()
    {
        yield return new TestCaseData((Func<ICheckpointable>)(() => Fit(new DqnEstimator(new DqnOptions
        {
            HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, TrainFrequency = 8, GradientSteps = 4, Seed = 3,
        })))).SetName("dqn");
        yield return new TestCaseData((Func<ICheckpointable>)(() => Fit(new SoftQEstimator(new SoftQOptions
        {
            HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, TrainFrequency = 8, GradientSteps = 4, Seed = 3,
        })))).SetName("sql");
        yield return new TestCaseData((Func<ICheckpointable>)(() => Fit(new A2cEstimator(new A2cOptions { HiddenSizes = [16, 16], Seed = 3 })))).SetName("a2c");
        yield return new TestCaseData((Func<ICheckpointable>)(() => Fit(new ReinforceEstimator(new ReinforceOptions { HiddenSizes = [16, 16], Seed = 3 })))).SetName("reinforce");
    }

    private static T Fit<T>(AgentEstimator<T> estimator) where T : class, IAgent
    {
        using var env = StandardEnvironments.CreateCatalog().Make("CartPole-v1");
        return estimator.Fit(env, Budget.Steps(TrainingSteps));
    }

    [TestCaseSource(nameof(TrainedAgents))]
    public void LoadedAgentActsIdentically(Func<ICheckpointable> train)
    {
        var agent = train();
        var path = Path.Combine(Path.GetTempPath(), $"rlkit-roundtrip-{Guid.NewGuid():N}{Checkpoint.FileExtension}");
        try
        {
            Checkpoint.Save(agent, path);
            var loaded = Checkpoint.LoadAgent(path);

            Assert.That(loaded.GetType(), Is.EqualTo(agent.GetType()));
            Assert.That(loaded.Algorithm, Is.EqualTo(agent.Algorithm));
            var loadedWeights = ((ICheckpointable)loaded).Weights;
            Assert.That(loadedWeights.Keys, Is.EqualTo(agent.Weights.Keys));
            foreach (var (name, tensor) in agent.Weights)
                Assert.That(loadedWeights[name].ToArray(), Is.EqualTo(tensor.ToArray()), $"weight '{name}'");

            var observations = Tensor.RandomNormal(new RandomGenerator(11), [32, agent.ObservationSpace.FlatSize]);
            var expected = new int[32];
            var actual = new int[32];
            agent.Act(observations, expected, deterministic: true);
            loaded.Act(observations, actual, deterministic: true);
            Assert.That(actual, Is.EqualTo(expected));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void TheDefaultRegistryRestoresEveryAlgorithm() =>
        Assert.That(AlgorithmRegistry.CreateDefault().Factories, Is.SupersetOf(ClassicAlgorithms.All.Concat(MultiTaskAlgorithms.All)));

    [Test]
    public void DqnCheckpointKeepsTheArchitectureAndExploration()
    {
        var agent = Fit(new DqnEstimator(new DqnOptions { HiddenSizes = [8], Dueling = true, LearningStarts = 16, BatchSize = 8, ExplorationFinalEpsilon = 0.1f, Seed = 5 }));
        Assert.That(agent.Weights.Keys, Has.All.StartWith("q."));
        var path = Path.Combine(Path.GetTempPath(), $"rlkit-dqn-{Guid.NewGuid():N}{Checkpoint.FileExtension}");
        try
        {
            Checkpoint.Save(agent, path);
            var loaded = (DqnAgent)Checkpoint.LoadAgent(path);
            Assert.That(loaded.QNetwork.IsDueling, Is.True);
            Assert.That(loaded.QNetwork.HiddenSizes, Is.EqualTo(new[] { 8 }));
            Assert.That(loaded.Epsilon, Is.EqualTo(0.1f));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ValueBasedLoadWeightsNamesMismatchesAndCopiesNothing()
    {
        var agent = Fit(new SoftQEstimator(new SoftQOptions { HiddenSizes = [8], LearningStarts = 16, BatchSize = 8 }));
        var before = agent.Weights.ToDictionary(w => w.Key, w => w.Value.ToArray());
        var wrong = agent.Weights.ToDictionary(w => w.Key, w => w.Value);
        string first = wrong.Keys.First();
        wrong[first] = Tensor.Zeros([3, 3]);
        wrong["q.extra"] = Tensor.Zeros([1]);

        var error = Assert.Throws<ArgumentException>(() => agent.LoadWeights(wrong))!;
        Assert.That(error.Message, Does.Contain(first).And.Contain("[3, 3]").And.Contain("q.extra"));
        foreach (var (name, tensor) in agent.Weights) Assert.That(tensor.ToArray(), Is.EqualTo(before[name]), name);
    }
}
