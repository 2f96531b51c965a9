using RLKit.Algorithms.ActionRelations;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using static RLKit.Algorithms.Tests.ActionRelations.ActionRelationTestData;

namespace RLKit.Algorithms.Tests.ActionRelations;

public class ActionAttentionTests
{
    /// <summary>The smallest agent that exposes a scorer, as PPO and CDQN agents do.</summary>
    private sealed class ScoringAgent(ActionSetScorer scorer, ActionSet actions) : IAgent, IActionSetScoringAgent
    {
        public string Algorithm => "stub";
        public Space ObservationSpace { get; } = new Box(-1f, 1f, scorer.StateSize);
        public Space ActionSpace => actions;
        public ActionSetScorer Scorer => scorer;
        public ActionSet Actions => actions;
        public Tensor? Context(int rows) => null;
        public void Act(Tensor observations, Span<int> actionIds, bool deterministic, RandomGenerator? rng = null) => throw new NotSupportedException();
        public void Act(Tensor observations, Span<float> actionValues, bool deterministic, RandomGenerator? rng = null) => throw new NotSupportedException();
    }

    private sealed class PlainAgent : IAgent
    {
        public string Algorithm => "plain";
        public Space ObservationSpace { get; } = new Box(-1f, 1f, 3);
        public Space ActionSpace { get; } = new Discrete(2);
        public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) => throw new NotSupportedException();
        public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) => throw new NotSupportedException();
    }

    private static ScoringAgent Agent(ActionRelationOptions options)
    {
        var rng = new RandomGenerator(1);
        var actions = new ActionSet(5, 2, Uniform(rng, 10));
        return new ScoringAgent(new ActionSetScorer(3, 2, options, rng), actions);
    }

    [Test]
    public void MapHasOneRowStochasticMatrixPerGatLayerOverTheAvailableActions()
    {
        var agent = Agent(Small("gat", heads: 2));
        bool[] availability = [true, false, true, true, false];
        var map = ActionAttention.For(agent, [0.1f, -0.2f, 0.3f], availability);
        Assert.That(map.ActionIds, Is.EqualTo(new[] { 0, 2, 3 }));
        Assert.That(map.Layers, Has.Count.EqualTo(2));
        foreach (var layer in map.Layers)
        {
            Assert.That(layer, Has.Length.EqualTo(9));
            for (int i = 0; i < 3; i++) Assert.That(layer.Skip(3 * i).Take(3).Sum(), Is.EqualTo(1f).Within(1e-5f));
            Assert.That(layer, Is.All.GreaterThan(0f));
        }
    }

    [Test]
    public void SummaryGatReportsTheSummaryEncodersAttention()
    {
        var map = ActionAttention.For(Agent(Relations.SummaryGat with { HiddenSize = 5, StateHiddenSize = 4 }), [0f, 0f, 0f], [true, true, false, false, true]);
        Assert.That((map.ActionIds.Count, map.Layers.Count), Is.EqualTo((3, 2)));
    }

    [Test]
    public void AgentsWithoutAttentionAreRejected()
    {
        Assert.That(() => ActionAttention.For(new PlainAgent(), [0f, 0f, 0f], [true]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("agent").And.Message.Contains("plain"));
        Assert.That(() => ActionAttention.For(Agent(Small("deepset")), [0f, 0f, 0f], [true, true, true, true, true]),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("agent").And.Message.Contains("deepset"));
        var agent = Agent(Small("gat"));
        Assert.That(() => ActionAttention.For(agent, [0f, 0f, 0f], [true, true]), Throws.ArgumentException.With.Property("ParamName").EqualTo("availability"));
        Assert.That(() => ActionAttention.For(agent, [0f, 0f], [true, true, true, true, true]), Throws.ArgumentException.With.Property("ParamName").EqualTo("observation"));
        Assert.That(() => ActionAttention.For(agent, [0f, 0f, 0f], [false, false, false, false, false]), Throws.ArgumentException.With.Message.Contains("row 0"));
    }
}
