using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.Ppo;
using RLKit.Envs.Grid;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.ActionRelations;

/// <summary>Seed 003 ch. 2's nearest-neighbour baseline.</summary>
[TestFixture]
public sealed class NearestActionAgentTests
{
    /// <summary>
    /// An inner agent that records the availability it was given and picks, per row, the first action in
    /// <see cref="Preference"/> that is available there.
    /// </summary>
    private sealed class ScriptedAgent(int count, params int[] preference) : IActionSetAgent
    {
        public int[] Preference { get; set; } = preference;
        public bool[]? LastAvailability { get; private set; }
        public int? Override { get; set; }
        public string Algorithm => "scripted";
        public Space ObservationSpace { get; } = new Box(0f, 1f, 2);
        public Space ActionSpace { get; } = new ActionSet(count, 0, []);

        public void Act(Tensor observations, ReadOnlySpan<bool> availability, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
        {
            LastAvailability = availability.ToArray();
            for (int row = 0; row < actions.Length; row++)
            {
                var rowAvailability = availability.Slice(row * count, count).ToArray();
                actions[row] = Override ?? Preference.First(a => rowAvailability[a]);
            }
        }

        public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
            Act(observations, Enumerable.Repeat(true, actions.Length * count).ToArray(), actions, deterministic, rng);

        public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) => throw new NotSupportedException();
    }

    // Six actions on a line (1-D representations 0, 1, 2, 3, 4, 10), and action 5 at 10.
    private static readonly float[] Line = [0f, 1f, 2f, 3f, 4f, 10f];

    private static bool[] Mask(params string[] rows) => rows.SelectMany(r => r.Select(c => c == '1')).ToArray();

    private static Tensor Observations(int rows) => Tensor.Zeros(rows, 2);

    [Test]
    public void TheInnerAgentChoosesAmongTheSourceActionsAndEachChoiceMapsToTheNearestAvailableAction()
    {
        var inner = new ScriptedAgent(6, 1, 4, 0);
        var agent = new NearestActionAgent(inner, [0, 1, 4], Line, 1);
        var actions = new int[3];
        // Row 0 offers {2, 5}: 1 → 2. Row 1 offers {0, 5}: 1 → 0. Row 2 offers {3, 5}: 1 → 3 (distance 2 vs 9).
        agent.Act(Observations(3), Mask("001001", "100001", "000101"), actions, deterministic: true);
        Assert.That(inner.LastAvailability, Is.EqualTo(Mask("110010", "110010", "110010")), "the inner agent sees only the source actions, in every row");
        Assert.That(actions, Is.EqualTo(new[] { 2, 0, 3 }));

        inner.Preference = [4, 1, 0];
        agent.Act(Observations(2), Mask("000001", "011100"), actions.AsSpan(0, 2), deterministic: true);
        Assert.That(actions[..2], Is.EqualTo(new[] { 5, 3 }), "4 → 5 (the only one offered), 4 → 3");
    }

    [Test]
    public void TiesGoToTheLowestIdAndAnAvailableChoiceMapsToItself()
    {
        // Action 2 sits at 2; actions 1 and 3 are both at distance 1, action 0 and 4 at distance 2.
        var inner = new ScriptedAgent(6, 2);
        var agent = new NearestActionAgent(inner, [2], Line, 1);
        var actions = new int[3];
        agent.Act(Observations(3), Mask("010100", "000110", "001110"), actions, deterministic: true);
        Assert.That(actions, Is.EqualTo(new[] { 1, 3, 2 }), "tie 1 vs 3 → 1; 3 vs 4 → 3; 2 itself when offered");

        // Identical representations: the lowest id wins even over the chosen action itself.
        var twins = new NearestActionAgent(new ScriptedAgent(3, 2), [2], [5f, 5f, 1f, 1f, 1f, 1f], 2);
        var twin = new int[1];
        twins.Act(Observations(1), Mask("011"), twin, deterministic: true);
        Assert.That(twin[0], Is.EqualTo(1), "actions 1 and 2 share a representation; 1 is the lower id");
    }

    [Test]
    public void ActWithoutAvailabilityTreatsEveryActionAsAvailable()
    {
        var inner = new ScriptedAgent(6, 4);
        var agent = new NearestActionAgent(inner, [4], Line, 1);
        var actions = new int[2];
        agent.Act(Observations(2), actions, deterministic: true);
        Assert.That(actions, Is.EqualTo(new[] { 4, 4 }));
        Assert.That(inner.LastAvailability, Is.EqualTo(Mask("000010", "000010")));
    }

    [Test]
    public void OverAPpoPolicyOnTheSkillGridItOnlyPicksOfferedTestSkills()
    {
        // An (untrained) masked-categorical PPO policy over the 1024 skills chooses among the training skills; every
        // choice is executed as the nearest of the test skills offered in its row.
        var grid = new SkillGrid();
        var ppo = new PpoAgent(grid.ObservationSpace, grid.ActionSpace, new PpoOptions { Seed = 1 }, new RandomGenerator(1));
        var agent = new NearestActionAgent(ppo, grid.TrainSkills, grid.Skills.Representations, SkillGrid.RepresentationSize);
        var rng = new RandomGenerator(2);
        const int rows = 8;
        var observations = Tensor.FromArray(Enumerable.Range(0, rows * 81).Select(_ => (float)rng.NextInt(6)).ToArray(), rows, 81);
        var test = grid.TestSkills;
        var actions = new int[rows];
        for (int round = 0; round < 20; round++)
        {
            var availability = new bool[rows * SkillGrid.SkillCount];
            for (int b = 0; b < rows; b++)
                for (int k = 0; k < 50; k++) availability[b * SkillGrid.SkillCount + test[rng.NextInt(test.Count)]] = true;
            agent.Act(observations, availability, actions, deterministic: round % 2 == 0);
            for (int b = 0; b < rows; b++)
            {
                Assert.That(availability[b * SkillGrid.SkillCount + actions[b]], $"round {round}, row {b}: skill {actions[b]} was not offered");
                Assert.That(test, Does.Contain(actions[b]));
            }
        }
        Assert.That(agent.Algorithm, Is.EqualTo("ppo+nearest"));
        Assert.That(agent.ActionSpace, Is.SameAs(ppo.ActionSpace));
        Assert.That(agent.ObservationSpace, Is.SameAs(ppo.ObservationSpace));
    }

    [Test]
    public void BadInputGetsClearErrors()
    {
        var inner = new ScriptedAgent(6, 0);
        Assert.Throws<ArgumentNullException>(() => new NearestActionAgent(null!, [0], Line, 1));
        Assert.Throws<ArgumentNullException>(() => new NearestActionAgent(inner, null!, Line, 1));
        var width = Assert.Throws<ArgumentException>(() => new NearestActionAgent(inner, [0], Line, 2));
        Assert.That(width!.Message, Does.Contain("6 actions × 2 floats = 12 values, got 6"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NearestActionAgent(inner, [0], Line, 0));
        var empty = Assert.Throws<ArgumentException>(() => new NearestActionAgent(inner, [], Line, 1));
        Assert.That(empty!.Message, Does.Contain("sourceActions is empty"));
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => new NearestActionAgent(inner, [0, 6], Line, 1));
        Assert.That(outside!.Message, Does.Contain("sourceActions[1] = 6").And.Contain("[0, 5]"));
        var nan = Assert.Throws<ArgumentException>(() => new NearestActionAgent(inner, [0], [0f, 1f, float.NaN, 3f, 4f, 5f], 1));
        Assert.That(nan!.Message, Does.Contain("action 2").And.Contain("finite"));
        var discrete = new PpoAgent(new Box(0f, 1f, 2), new Discrete(3), new PpoOptions(), new RandomGenerator(1));
        var notASet = Assert.Throws<ArgumentException>(() => new NearestActionAgent(discrete, [0], [0f, 1f, 2f], 1));
        Assert.That(notASet!.Message, Does.Contain("ActionSet"));

        var agent = new NearestActionAgent(inner, [0], Line, 1);
        var actions = new int[2];
        var length = Assert.Throws<ArgumentException>(() => agent.Act(Observations(2), new bool[6], actions, deterministic: true));
        Assert.That(length!.Message, Does.Contain("2 rows × 6 actions = 12 entries, got 6"));
        var none = Assert.Throws<ArgumentException>(() => agent.Act(Observations(2), Mask("100000", "000000"), actions, deterministic: true));
        Assert.That(none!.Message, Does.Contain("row 1"));
        inner.Override = 9;
        var wrongId = Assert.Throws<ArgumentException>(() => agent.Act(Observations(2), Mask("100000", "010000"), actions, deterministic: true));
        Assert.That(wrongId!.Message, Does.Contain("chose 9 in row 0"));
        Assert.Throws<NotSupportedException>(() => agent.Act(Observations(1), new float[1], deterministic: true));
    }
}
