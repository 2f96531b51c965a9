using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Evaluation;

namespace RLKit.Core.Tests.Training.Evaluation;

/// <summary>
/// Evaluation and prediction hand an <see cref="IActionSetAgent"/> the availability of an ActionSet or ActionList
/// environment: the agent here refuses to act without it, and the environment rejects any unavailable action.
/// </summary>
[TestFixture]
public sealed class ActionSetEvaluationTests
{
    /// <summary>
    /// Four actions (1-D representations 0 … 3); at step t of an episode action (t + offset) mod 4 is unavailable.
    /// Observation [t]; reward = the sum of the chosen ids; episodes last 3 steps. An ActionList of
    /// <paramref name="listLength"/> when given, else the ActionSet itself.
    /// </summary>
    private sealed class RotatingAvailabilityEnv(int offset, int? listLength)
        : EnvironmentBase(new Box(0, 10, 1), listLength is { } k ? new ActionList(NewSet(), k) : NewSet())
    {
        private int _t;

        public override string Id => "RotatingAvailability-v0";

        private ActionSet Items => ActionSpace as ActionSet ?? ((ActionList)ActionSpace).Items;

        private static ActionSet NewSet() => new(4, 1, [0f, 1f, 2f, 3f]);

        protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
        {
            _t = 0;
            Rotate(observation);
            return null;
        }

        protected override Transition StepCore(int action, Span<float> observation)
        {
            _t++;
            Rotate(observation);
            return new Transition(action, _t == 3);
        }

        protected override Transition StepCore(ReadOnlySpan<int> action, Span<float> observation)
        {
            int sum = 0;
            foreach (int id in action) sum += id;
            _t++;
            Rotate(observation);
            return new Transition(sum, _t == 3);
        }

        private void Rotate(Span<float> observation)
        {
            Items.Available.Fill(true);
            Items.Available[(_t + offset) % 4] = false;
            observation[0] = _t;
        }
    }

    /// <summary>
    /// Picks, per row, the highest available ids in decreasing order (one for an ActionSet, the list's length for an
    /// ActionList). It throws when it is not given the availability, or when what it picks is not available.
    /// </summary>
    private sealed class HighestAvailableAgent(Space actionSpace) : IActionSetAgent
    {
        public string Algorithm => "highest-available";
        public Space ObservationSpace { get; } = new Box(0, 10, 1);
        public Space ActionSpace { get; } = actionSpace;
        public int Calls { get; private set; }
        public List<int> Rows { get; } = [];

        private int Universe => ActionSpace is ActionList list ? list.Items.Count : ((ActionSet)ActionSpace).Count;
        private int Width => ActionSpace is ActionList list ? list.Length : 1;

        public void Act(Tensor observations, ReadOnlySpan<bool> availability, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
        {
            int rows = observations.Shape[0];
            Calls++;
            Rows.Add(rows);
            if (availability.Length != rows * Universe) throw new ArgumentException($"availability holds {availability.Length} flags, not {rows} × {Universe}.", nameof(availability));
            if (actions.Length != rows * Width) throw new ArgumentException($"actions hold {actions.Length} ids, not {rows} × {Width}.", nameof(actions));
            for (int r = 0; r < rows; r++)
            {
                var row = availability.Slice(r * Universe, Universe);
                int written = 0;
                for (int id = Universe - 1; id >= 0 && written < Width; id--)
                    if (row[id]) actions[r * Width + written++] = id;
                if (written < Width) throw new ArgumentException($"row {r} has fewer than {Width} available actions.", nameof(availability));
                for (int k = 0; k < Width; k++)
                    if (!row[actions[r * Width + k]]) throw new InvalidOperationException($"picked the unavailable action {actions[r * Width + k]}");
            }
        }

        public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null) =>
            throw new InvalidOperationException("HighestAvailableAgent: called without the availability.");

        public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) =>
            throw new NotSupportedException();
    }

    // offset 3: unavailable 3, 0, 1 at t = 0, 1, 2 → highest available 2, 3, 3 (8); lists of 2: 2+1, 3+2, 3+2 (13).
    // offset 0: unavailable 0, 1, 2 → 3, 3, 3 (9); lists of 2: 3+2, 3+2, 3+1 (14).
    [TestCase(null, 3, 8.0)]
    [TestCase(null, 0, 9.0)]
    [TestCase(2, 3, 13.0)]
    [TestCase(2, 0, 14.0)]
    public void A_single_environment_passes_its_current_availability(int? listLength, int offset, double expected)
    {
        using var env = new RotatingAvailabilityEnv(offset, listLength);
        var agent = new HighestAvailableAgent(env.ActionSpace);

        var report = Evaluator.Evaluate(agent, env, episodes: 2);

        Assert.That(report.Returns, Is.EqualTo(new[] { expected, expected }));
        Assert.That(report.Lengths, Is.EqualTo(new[] { 3, 3 }));
        Assert.That(agent.Calls, Is.EqualTo(6));
    }

    [TestCase(null, AutoresetMode.SameStep, 8.0, 9.0)]
    [TestCase(null, AutoresetMode.NextStep, 8.0, 9.0)]
    [TestCase(2, AutoresetMode.SameStep, 13.0, 14.0)]
    [TestCase(2, AutoresetMode.NextStep, 13.0, 14.0)]
    public void A_vector_environment_passes_each_copys_action_masks(int? listLength, AutoresetMode mode, double first, double second)
    {
        // The copies' availabilities differ at every step, so rows mixed up would pick an unavailable action.
        using var vector = new SyncVectorEnvironment([new RotatingAvailabilityEnv(3, listLength), new RotatingAvailabilityEnv(0, listLength)], mode);
        var agent = new HighestAvailableAgent(vector.SingleActionSpace);

        var report = Evaluator.Evaluate(agent, vector, episodes: 4);

        Assert.That(report.Returns, Is.EqualTo(new[] { first, first, second, second }));
        Assert.That(agent.Rows, Is.All.EqualTo(2));
    }

    [Test]
    public void An_agent_without_availability_still_acts_on_an_action_list()
    {
        using var env = new RotatingAvailabilityEnv(0, listLength: 2);
        var report = Evaluator.Evaluate(new FixedListAgent(env.ActionSpace), env, episodes: 1);
        // At step t action t is unavailable; the agent lists [(t + 1) mod 4, (t + 2) mod 4]: 1 + 2, 2 + 3, 3 + 0.
        Assert.That(report.Returns, Is.EqualTo(new[] { 11.0 }));
    }

    [Test]
    public void Action_lists_of_another_length_are_refused()
    {
        using var env = new RotatingAvailabilityEnv(0, listLength: 2);
        var agent = new HighestAvailableAgent(new ActionList(new ActionSet(4, 1, new float[4]), 3));
        var e = Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(agent, env, episodes: 1));
        Assert.That(e!.ParamName, Is.EqualTo("env"));
        Assert.That(e.Message, Does.Contain("ActionList(3").And.Contain("ActionList(2"));
        var set = Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(new HighestAvailableAgent(new ActionSet(4, 1, new float[4])), env, episodes: 1));
        Assert.That(set!.Message, Does.Contain("ActionSet(").And.Contain("ActionList(2"));
    }

    [Test]
    public void Predict_with_availability_reaches_the_agent_and_checks_lengths()
    {
        var list = new ActionList(new ActionSet(4, 1, new float[4]), 2);
        var agent = new HighestAvailableAgent(list);
        bool[] availability = [true, true, false, true, /* row 2 */ true, false, true, false];
        var actions = new int[4];

        agent.Predict([0f, 1f], availability, actions);

        Assert.That(actions, Is.EqualTo(new[] { 3, 1, 2, 0 }));
        var wrongMask = Assert.Throws<ArgumentException>(() => agent.Predict([0f, 1f], availability.AsSpan(0, 4), actions));
        Assert.That(wrongMask!.ParamName, Is.EqualTo("availability"));
        Assert.That(wrongMask.Message, Does.Contain("4 flags").And.Contain("8 for 2 observations"));
        var wrongActions = Assert.Throws<ArgumentException>(() => agent.Predict([0f, 1f], availability, new int[2]));
        Assert.That(wrongActions!.ParamName, Is.EqualTo("actions"));
        Assert.That(wrongActions.Message, Does.Contain("2 ids per observation, 4 for 2 observations"));
        // Without availability the agent is asked to act on everything; this one refuses, which shows the routing.
        Assert.Throws<InvalidOperationException>(() => agent.Predict([0f, 1f], new int[4]));
        Assert.Throws<NotSupportedException>(() => agent.Predict([0f]));
        Assert.Throws<NotSupportedException>(() => new FixedListAgent(list).Predict([0f], [true, true, true, true], new int[2]));
    }

    /// <summary>The list [(t + 1) mod 4, (t + 2) mod 4] for observation [t], without looking at availability.</summary>
    private sealed class FixedListAgent(Space actionSpace) : IAgent
    {
        public string Algorithm => "fixed-list";
        public Space ObservationSpace { get; } = new Box(0, 10, 1);
        public Space ActionSpace { get; } = actionSpace;

        public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
        {
            var t = observations.AsReadOnlySpan();
            for (int i = 0; i < actions.Length; i += 2)
            {
                actions[i] = ((int)t[i / 2] + 1) % 4;
                actions[i + 1] = ((int)t[i / 2] + 2) % 4;
            }
        }

        public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null) => throw new NotSupportedException();
    }
}
