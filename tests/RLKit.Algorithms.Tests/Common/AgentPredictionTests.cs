using RLKit.Algorithms.Common;
using RLKit.Algorithms.Distral;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Td3;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Common;

/// <summary><c>agent.Predict</c>: the same actions as <c>Act</c> on a tensor built by hand, and clear errors for bad input.</summary>
public class AgentPredictionTests
{
    private static readonly Box Observations = new(-1, 1, 3);

    private static PpoAgent Discrete() => new(Observations, new Discrete(4), new PpoOptions { HiddenSizes = [8] }, new RandomGenerator(1));

    private static Td3Agent Continuous() =>
        Td3Agent.Create(Observations, new Box(-2, 2, 2), new Td3Options { HiddenSizes = [8] }, new RandomGenerator(2));

    private static float[] RandomObservations(int rows, ulong seed)
    {
        var rng = new RandomGenerator(seed);
        return Enumerable.Range(0, rows * 3).Select(_ => rng.Uniform(-1f, 1f)).ToArray();
    }

    [Test]
    public void OneDiscreteObservationGivesTheActionActTakes()
    {
        var agent = Discrete();
        for (ulong seed = 0; seed < 20; seed++)
        {
            var observation = RandomObservations(1, seed);
            var expected = new int[1];
            agent.Act(Tensor.FromArray(observation, 1, 3), expected, deterministic: true);
            Assert.That(agent.Predict(observation), Is.EqualTo(expected[0]));
        }
    }

    [Test]
    public void ABatchOfDiscreteObservationsFillsTheCallersBuffer()
    {
        var agent = new DqnAgent(new QNetwork(3, 5, [8], dueling: true, new RandomGenerator(3)), Observations, new Discrete(5), new DqnOptions());
        var observations = RandomObservations(64, 7);
        var expected = new int[64];
        agent.Act(Tensor.FromArray(observations, 64, 3), expected, deterministic: true);
        var actions = new int[64];
        agent.Predict(observations, actions);
        Assert.That(actions, Is.EqualTo(expected));
        Assert.That(actions.Distinct().Count(), Is.GreaterThan(1), "a constant policy would make this test meaningless");
    }

    [Test]
    public void SamplingWithAGeneratorMatchesActWithTheSameGenerator()
    {
        var agent = Discrete();
        var observations = RandomObservations(200, 9);
        var expected = new int[200];
        agent.Act(Tensor.FromArray(observations, 200, 3), expected, deterministic: false, new RandomGenerator(5));
        var actions = new int[200];
        agent.Predict(observations, actions, deterministic: false, new RandomGenerator(5));
        Assert.That(actions, Is.EqualTo(expected));
        Assert.That(actions.Distinct().Count(), Is.GreaterThan(1));
    }

    [Test]
    public void ContinuousActionsForOneObservationOrABatch()
    {
        var agent = Continuous();
        var observations = RandomObservations(10, 11);
        var expected = new float[20];
        agent.Act(Tensor.FromArray(observations, 10, 3), expected, deterministic: true);
        var batch = new float[20];
        agent.Predict(observations, batch);
        Assert.That(batch, Is.EqualTo(expected));
        // One row against Act on one row: the GEMM kernels pick their path by batch size, so the last bits can differ from row 0 of a batch.
        var expectedOne = new float[2];
        agent.Act(Tensor.FromArray(observations[..3], 1, 3), expectedOne, deterministic: true);
        var one = new float[2];
        agent.Predict(observations.AsSpan(0, 3), one);
        Assert.That(one, Is.EqualTo(expectedOne));
        Assert.That(one, Is.EqualTo(expected[..2]).Within(1e-5f));
    }

    [Test]
    public void ATaskPolicyOfAMultiTaskAgentPredictsToo()
    {
        var model = new DistralModel(3, 4, 2, new DistralOptions { HiddenSizes = [8] }, new RandomGenerator(4));
        IMultiTaskAgent agent = new DistralAgent(model, Observations, new Discrete(4), ["a", "b"], new DistralOptions { HiddenSizes = [8] });
        var observation = RandomObservations(1, 13);
        var expected = new int[1];
        agent.Act(1, Tensor.FromArray(observation, 1, 3), expected, deterministic: true);
        Assert.That(agent.ForTask(1).Predict(observation), Is.EqualTo(expected[0]));
    }

    [Test]
    public void WrongLengthsAreNamed()
    {
        var agent = Discrete();
        var single = Assert.Throws<ArgumentException>(() => agent.Predict(new float[4]))!;
        Assert.That(single.ParamName, Is.EqualTo("observation"));
        Assert.That(single.Message, Does.Contain("observations of 3 floats").And.Contain("got 4"));

        var batch = Assert.Throws<ArgumentException>(() => agent.Predict(new float[7], new int[2]))!;
        Assert.That(batch.ParamName, Is.EqualTo("observations"));
        Assert.That(Assert.Throws<ArgumentException>(() => agent.Predict(ReadOnlySpan<float>.Empty, Span<int>.Empty))!.ParamName, Is.EqualTo("observations"));

        var actions = Assert.Throws<ArgumentException>(() => agent.Predict(new float[6], new int[3]))!;
        Assert.That(actions.ParamName, Is.EqualTo("actions"));
        Assert.That(actions.Message, Does.Contain("2; got 3"));

        var continuous = Assert.Throws<ArgumentException>(() => Continuous().Predict(new float[6], new float[3]))!;
        Assert.That(continuous.ParamName, Is.EqualTo("actions"));
        Assert.That(continuous.Message, Does.Contain("2 floats per observation, 4 for 2 observations; got 3"));
    }

    [TestCase(float.NaN, "NaN")]
    [TestCase(float.PositiveInfinity, "Infinity")]
    public void NonFiniteObservationsAreNamedByRowAndIndex(float bad, string shown)
    {
        var observations = RandomObservations(3, 17);
        observations[7] = bad;
        var e = Assert.Throws<ArgumentException>(() => Discrete().Predict(observations, new int[3]))!;
        Assert.That(e.ParamName, Is.EqualTo("observations"));
        Assert.That(e.Message, Does.Contain($"row 2 holds {shown} at index 1"));
        var one = Assert.Throws<ArgumentException>(() => Continuous().Predict(observations.AsSpan(6, 3), new float[2]))!;
        Assert.That(one.Message, Does.Contain($"row 0 holds {shown} at index 1"));
    }

    [Test]
    public void TheWrongKindOfActionIsNotSupported()
    {
        var discrete = Assert.Throws<NotSupportedException>(() => Discrete().Predict(new float[3], new float[4]))!;
        Assert.That(discrete.Message, Does.Contain("Discrete(4)"));
        var continuous = Assert.Throws<NotSupportedException>(() => Continuous().Predict(new float[3]))!;
        Assert.That(continuous.Message, Does.Contain("Span<float>"));
    }
}
