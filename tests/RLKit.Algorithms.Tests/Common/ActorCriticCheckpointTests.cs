using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.Td3;
using RLKit.Envs;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests.Common;

/// <summary>Checkpoint round-trips: a loaded agent gives identical actions; mismatched weights are named.</summary>
[TestFixture]
public class ActorCriticCheckpointTests
{
    private static IEnumerable<TestCaseData> TrainedAgents()
    {
        yield return new TestCaseData((Func<ICheckpointable>)(() => Fit(new SacEstimator(new SacOptions { HiddenSizes = [8], LearningStarts = 20, BatchSize = 8 }), "Pendulum-v1"))).SetName("sac");
        yield return new TestCaseData((Func<ICheckpointable>)(() => Fit(new Td3Estimator(new Td3Options { HiddenSizes = [8], LearningStarts = 20, BatchSize = 8 }), "Pendulum-v1"))).SetName("td3");
        yield return new TestCaseData((Func<ICheckpointable>)(() => Fit(new DdpgEstimator(new DdpgOptions { HiddenSizes = [8], LearningStarts = 20, BatchSize = 8 }), "Pendulum-v1"))).SetName("ddpg");
        yield return new TestCaseData((Func<ICheckpointable>)(() => Fit(new DiscreteSacEstimator(new DiscreteSacOptions { HiddenSizes = [8], LearningStarts = 20, BatchSize = 8, UpdateFrequency = 1 }), "CartPole-v1"))).SetName("sac-discrete");
    }

    private static T Fit<T>(AgentEstimator<T> estimator, string id) where T : class, IAgent
    {
        using var env = StandardEnvironments.CreateCatalog().Make(id);
        return estimator.Fit(env, Budget.Steps(60));
    }

    [TestCaseSource(nameof(TrainedAgents))]
    public void LoadedAgentActsIdentically(Func<ICheckpointable> train)
    {
        var agent = train();
        var path = Path.Combine(Path.GetTempPath(), $"rlkit-ac-{Guid.NewGuid():N}{Checkpoint.FileExtension}");
        try
        {
            Checkpoint.Save(agent, path);
            var loaded = Checkpoint.LoadAgent(path);
            Assert.That(loaded.GetType(), Is.EqualTo(agent.GetType()));
            int observationSize = agent.ObservationSpace.FlatSize;
            var observations = Tensor.RandomNormal(new RandomGenerator(9), [6, observationSize]);
            if (agent.ActionSpace is RLKit.Spaces.Box box)
            {
                var expected = new float[6 * box.FlatSize];
                var actual = new float[6 * box.FlatSize];
                agent.Act(observations, expected, deterministic: true);
                loaded.Act(observations, actual, deterministic: true);
                Assert.That(actual, Is.EqualTo(expected));
            }
            else
            {
                var expected = new int[6];
                var actual = new int[6];
                agent.Act(observations, expected, deterministic: true);
                loaded.Act(observations, actual, deterministic: true);
                Assert.That(actual, Is.EqualTo(expected));
            }
            Assert.That(((ICheckpointable)loaded).Weights.Keys, Is.EqualTo(agent.Weights.Keys));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void LoadWeightsNamesMissingAndMismatchedKeys()
    {
        var agent = (ICheckpointable)Fit(new Td3Estimator(new Td3Options { HiddenSizes = [8], LearningStarts = 20, BatchSize = 8 }), "Pendulum-v1");
        var weights = agent.Weights.ToDictionary(kv => kv.Key, kv => kv.Value);
        weights.Remove("q2.mlp.0.weight");
        weights["log_alpha"] = Tensor.Zeros(1);
        var error = Assert.Throws<ArgumentException>(() => agent.LoadWeights(weights))!;
        Assert.That(error.Message, Does.Contain("q2.mlp.0.weight").And.Contain("log_alpha"));
    }
}
