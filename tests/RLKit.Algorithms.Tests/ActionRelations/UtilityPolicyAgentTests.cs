using RLKit.Algorithms.A2c;
using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.Ppo;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Envs.Grid;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;
using RLKit.Training.Evaluation;

namespace RLKit.Algorithms.Tests.ActionRelations;

/// <summary>PPO and A2C with <c>UtilityPolicy</c> set: the head on the actor trunk, acting, evaluation, checkpoints and refusals.</summary>
[TestFixture]
public sealed class UtilityPolicyAgentTests
{
    private static readonly EnvironmentCatalog Catalog = StandardEnvironments.CreateCatalog();

    private static SyncVectorEnvironment SkillGrids(int count, SkillGridOptions? grid = null) =>
        new(Enumerable.Range(0, count).Select(_ => Catalog.Make("SkillGrid-v0", grid)).ToArray(), AutoresetMode.SameStep);

    private static PpoAgent UntrainedAgent(ulong seed = 1)
    {
        var grid = new SkillGrid();
        return new PpoAgent(grid.ObservationSpace, grid.ActionSpace, new PpoOptions { Seed = seed, UtilityPolicy = UtilityPolicyOptions.Default }, new RandomGenerator(seed));
    }

    private static bool[] RandomAvailability(RandomGenerator rng, int rows, int count, int perRow)
    {
        var availability = new bool[rows * count];
        for (int b = 0; b < rows; b++)
            for (int k = 0; k < perRow; k++) availability[b * count + rng.NextInt(count)] = true;
        return availability;
    }

    [Test]
    public void TheHeadReadsTheActorTrunkAndTheCriticKeepsItsOwn()
    {
        var agent = UntrainedAgent();
        var network = (ActorCriticNetwork)agent.Network;
        Assert.That(network.Head, Is.TypeOf<UtilityPolicyHead>());
        var head = (UtilityPolicyHead)network.Head;
        Assert.That(head.LatentSize, Is.EqualTo(64), "the 2 × 64 tanh actor trunk is the state encoder f_ω");
        Assert.That(head.ActionSize, Is.EqualTo(SkillGrid.SkillCount));
        Assert.That(head.RepresentationSize, Is.EqualTo(SkillGrid.RepresentationSize));
        Assert.That(head.Representations, Is.EqualTo(new SkillGrid().Skills.Representations.ToArray()), "the hand-engineered representations");
        Assert.That(network.SharedTrunk, Is.False);
        var keys = agent.Weights.Keys.ToArray();
        Assert.That(keys, Does.Contain("policy.representations").And.Contain("policy.hidden.weight"));
        Assert.That(keys.Where(k => k.StartsWith("critic.", StringComparison.Ordinal)), Is.Not.Empty, "the critic is a separate MLP");
    }

    [Test]
    public void ActingNeverPicksAnUnavailableActionAndWithoutAvailabilityAllAreAvailable()
    {
        var agent = UntrainedAgent();
        var rng = new RandomGenerator(7);
        const int rows = 8;
        var observations = Tensor.FromArray(Enumerable.Range(0, rows * 81).Select(_ => (float)rng.NextInt(6)).ToArray(), rows, 81);
        var availability = RandomAvailability(rng, rows, SkillGrid.SkillCount, perRow: 1 + rng.NextInt(60));
        var actions = new int[rows];
        for (int i = 0; i < 50; i++)
        {
            agent.Act(observations, availability, actions, deterministic: i % 2 == 0);
            for (int b = 0; b < rows; b++) Assert.That(availability[b * SkillGrid.SkillCount + actions[b]], $"row {b} chose unavailable skill {actions[b]}");
        }
        agent.Act(observations, actions, deterministic: true);
        var all = Enumerable.Repeat(true, rows * SkillGrid.SkillCount).ToArray();
        var withAll = new int[rows];
        agent.Act(observations, all, withAll, deterministic: true);
        Assert.That(actions, Is.EqualTo(withAll), "acting without availability = every action available");

        var empty = new bool[rows * SkillGrid.SkillCount];
        empty[0] = true;
        var ex = Assert.Throws<ArgumentException>(() => agent.Act(observations, empty, actions, deterministic: true));
        Assert.That(ex!.Message, Does.Contain("row 1"));
    }

    [Test]
    public void PpoWithTheUtilityPolicyOnADiscreteEnvironmentIsRefused()
    {
        using var env = new SyncVectorEnvironment([Catalog.Make("CartPole-v1")], AutoresetMode.SameStep);
        var ppo = Assert.Throws<NotSupportedException>(() => new PpoEstimator(new PpoOptions { StepsPerEnvironment = 8, MinibatchSize = 8 }).WithUtilityPolicy().Fit(env, Budget.Steps(16)));
        Assert.That(ppo!.Message, Does.Contain("PpoOptions.UtilityPolicy").And.Contain("ActionSet").And.Contain("Discrete"));
        var a2c = Assert.Throws<NotSupportedException>(() => new A2cEstimator(new A2cOptions { StepsPerUpdate = 4 }).WithUtilityPolicy().Fit(env, Budget.Steps(8)));
        Assert.That(a2c!.Message, Does.Contain("A2cOptions.UtilityPolicy"));
    }

    [Test]
    public void ActionsWithoutRepresentationsAreRefused()
    {
        var set = new ActionSet(5, 0, []);
        var ex = Assert.Throws<ArgumentException>(() => new PpoAgent(new Box(0f, 1f, 3), set, new PpoOptions { UtilityPolicy = UtilityPolicyOptions.Default }, new RandomGenerator(1)));
        Assert.That(ex!.Message, Does.Contain("UtilityPolicy").And.Contain("representation size 0"));
    }

    [Test]
    public void InvalidUtilityOptionsAreRefusedByTheOptions()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PpoEstimator(new PpoOptions()).WithUtilityPolicy(new UtilityPolicyOptions(HiddenSize: 0)));
        Assert.That(ex!.Message, Does.Contain("HiddenSize"));
    }

    [Test]
    public void CheckpointRoundTripRestoresTheRepresentationsAndGivesTheSameActions()
    {
        using var env = SkillGrids(2);
        var agent = new PpoEstimator(new PpoOptions { Seed = 3, StepsPerEnvironment = 16, MinibatchSize = 16, Epochs = 1 })
            .WithUtilityPolicy()
            .Fit(env, Budget.Steps(64));
        // Representations that no fresh SkillGrid has: the checkpoint must carry them.
        var head = (UtilityPolicyHead)agent.Network.Head;
        var inferred = head.Representations.Select((v, i) => v * 0.5f + (i % 7) * 0.1f).ToArray();
        head.SetRepresentations(inferred);

        using var directory = new TemporaryDirectory("utility-policy");
        string path = directory.File("ppo-utility.rlkit");
        Checkpoint.Save(agent, path);
        var loaded = (PpoAgent)Checkpoint.LoadAgent(path);
        Assert.That(loaded.Options.UtilityPolicy, Is.EqualTo(UtilityPolicyOptions.Default));
        Assert.That(loaded.Network.Head, Is.TypeOf<UtilityPolicyHead>());
        Assert.That(((UtilityPolicyHead)loaded.Network.Head).Representations, Is.EqualTo(inferred), "the representations buffer is restored");

        var rng = new RandomGenerator(4);
        const int rows = 16;
        var observations = Tensor.FromArray(Enumerable.Range(0, rows * 81).Select(_ => (float)rng.NextInt(6)).ToArray(), rows, 81);
        var availability = RandomAvailability(rng, rows, SkillGrid.SkillCount, perRow: 50);
        var expected = new int[rows];
        var actual = new int[rows];
        agent.Act(observations, availability, expected, deterministic: true);
        loaded.Act(observations, availability, actual, deterministic: true);
        Assert.That(actual, Is.EqualTo(expected));
        agent.Act(observations, availability, expected, deterministic: false, new RandomGenerator(6));
        loaded.Act(observations, availability, actual, deterministic: false, new RandomGenerator(6));
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void TheEvaluatorHandsTheGridsAvailabilityToTheAgent()
    {
        var agent = UntrainedAgent();
        var report = Evaluator.Evaluate(agent, Catalog.Make("SkillGrid-v0", new SkillGridOptions { Split = SkillSplit.Test }), episodes: 5, deterministic: false, seed: 3);
        Assert.That(report.Episodes, Is.EqualTo(5), "every step took an offered test skill (stepping any other one throws)");
    }

    [Test]
    public void A2cTrainsTheUtilityPolicyToo()
    {
        using var env = SkillGrids(2);
        var agent = new A2cEstimator(new A2cOptions { Seed = 2, StepsPerUpdate = 8 }).WithUtilityPolicy().Fit(env, Budget.Steps(64));
        Assert.That(agent.Network.Head, Is.TypeOf<UtilityPolicyHead>());
        var untrained = new A2cAgent(env.SingleObservationSpace, env.SingleActionSpace, agent.Options, new RandomGenerator(agent.Options.Seed));
        Assert.That(agent.Weights["policy.hidden.weight"].ToArray(), Is.Not.EqualTo(untrained.Weights["policy.hidden.weight"].ToArray()), "the utility network trained");
        Assert.That(agent.Weights["policy.representations"].ToArray(), Is.EqualTo(untrained.Weights["policy.representations"].ToArray()), "the representations did not");
    }
}
