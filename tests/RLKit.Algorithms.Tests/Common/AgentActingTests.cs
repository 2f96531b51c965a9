using RLKit.Algorithms.Common;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.Td3;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Common;

public class AgentActingTests
{
    private static readonly Box Observations = new(-1, 1, 2);
    private static readonly Discrete DiscreteActions = new(3);
    private static readonly Box ContinuousActions = new(-1, 1, 2);

    /// <summary>Three observations of two floats; the last value is <paramref name="bad"/>.</summary>
    private static Tensor BatchWith(float bad) => Tensor.FromArray([0.1f, 0.2f, 0.3f, 0.4f, 0.5f, bad], [3, 2]);

    private static IEnumerable<TestCaseData> NonFinite()
    {
        yield return new TestCaseData(float.NaN, "NaN");
        yield return new TestCaseData(float.PositiveInfinity, "Infinity");
        yield return new TestCaseData(float.NegativeInfinity, "-Infinity");
    }

    [TestCaseSource(nameof(NonFinite))]
    public void DiscreteAgentsRejectNonFiniteObservations(float bad, string shown)
    {
        var rng = new RandomGenerator(1);
        IAgent[] agents =
        [
            new DqnAgent(new QNetwork(2, 3, [8], dueling: false, rng), Observations, DiscreteActions, new DqnOptions()),
            new PpoAgent(Observations, DiscreteActions, new PpoOptions { HiddenSizes = [8] }, rng),
            DiscreteSacAgent.Create(Observations, DiscreteActions, new DiscreteSacOptions { HiddenSizes = [8] }, rng),
        ];
        foreach (var agent in agents)
        {
            foreach (bool deterministic in new[] { true, false })
                AssertRejected(() => agent.Act(BatchWith(bad), new int[3], deterministic, new RandomGenerator(2)), agent, shown);
        }
    }

    [TestCaseSource(nameof(NonFinite))]
    public void ContinuousAgentsRejectNonFiniteObservations(float bad, string shown)
    {
        var rng = new RandomGenerator(1);
        var td3Options = new Td3Options { HiddenSizes = [8] };
        IAgent[] agents =
        [
            new PpoAgent(Observations, ContinuousActions, new PpoOptions { HiddenSizes = [8] }, rng),
            SacAgent.Create(Observations, ContinuousActions, new SacOptions { HiddenSizes = [8] }, rng),
            new Td3Agent(Observations, ContinuousActions, new DeterministicNetworks(2, ContinuousActions, [8], twinCritics: true, rng), td3Options),
        ];
        foreach (var agent in agents)
        {
            foreach (bool deterministic in new[] { true, false })
                AssertRejected(() => agent.Act(BatchWith(bad), new float[6], deterministic, new RandomGenerator(2)), agent, shown);
        }
    }

    private static void AssertRejected(TestDelegate act, IAgent agent, string shown)
    {
        var error = Assert.Throws<ArgumentException>(act, agent.Algorithm)!;
        Assert.That(error.ParamName, Is.EqualTo("observations"), agent.Algorithm);
        Assert.That(error.Message, Does.Contain($"observations must be finite, but row 2 holds {shown} at index 1"), agent.Algorithm);
    }
}
