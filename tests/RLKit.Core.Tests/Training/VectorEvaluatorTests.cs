using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Evaluation;

namespace RLKit.Core.Tests.Training;

[TestFixture]
public sealed class VectorEvaluatorTests
{
    [TestCase(AutoresetMode.SameStep)]
    [TestCase(AutoresetMode.NextStep)]
    public void One_copy_gives_exactly_the_single_environment_report(AutoresetMode mode)
    {
        using var single = new EpisodeIndexEnvironment(new Discrete(2));
        using var vector = new SyncVectorEnvironment([new EpisodeIndexEnvironment(new Discrete(2))], mode);
        var agent = new ThresholdAgent(new Discrete(2));

        var expected = Evaluator.Evaluate(agent, single, episodes: 9, seed: 3, solvedThreshold: 5);
        var actual = Evaluator.Evaluate(agent, vector, episodes: 9, seed: 3, solvedThreshold: 5);

        Assert.Multiple(() =>
        {
            // The returns must differ between episodes, or the comparison would not see a misplaced episode.
            Assert.That(expected.Returns.Distinct().Count(), Is.GreaterThan(2));
            Assert.That(actual.Returns, Is.EqualTo(expected.Returns));
            Assert.That(actual.Lengths, Is.EqualTo(expected.Lengths));
            Assert.That(actual.MeanReturn, Is.EqualTo(expected.MeanReturn));
            Assert.That(actual.StdReturn, Is.EqualTo(expected.StdReturn));
            Assert.That(actual.SuccessRate, Is.EqualTo(expected.SuccessRate));
            Assert.That(actual.Solved, Is.EqualTo(expected.Solved));
        });
    }

    [TestCase(AutoresetMode.SameStep, 7)]
    [TestCase(AutoresetMode.NextStep, 7)]
    [TestCase(AutoresetMode.SameStep, 2)]
    [TestCase(AutoresetMode.NextStep, 12)]
    public void Several_copies_run_fixed_quotas_equal_to_single_environment_runs_seeded_per_copy(AutoresetMode mode, int episodes)
    {
        const int copies = 4;
        const ulong seed = 10;
        var agent = new ThresholdAgent(new Discrete(2));
        var envs = Enumerable.Range(0, copies).Select(_ => new EpisodeIndexEnvironment(new Discrete(2))).ToArray();
        using var vector = new SyncVectorEnvironment(envs, mode);

        var actual = Evaluator.Evaluate(agent, vector, episodes, seed: seed);

        var expectedReturns = new List<double>();
        var expectedLengths = new List<int>();
        for (int i = 0; i < copies; i++)
        {
            int quota = episodes / copies + (i < episodes % copies ? 1 : 0);
            if (quota == 0) continue;
            using var single = new EpisodeIndexEnvironment(new Discrete(2));
            var report = Evaluator.Evaluate(agent, single, quota, seed: seed + (ulong)i);
            expectedReturns.AddRange(report.Returns);
            expectedLengths.AddRange(report.Lengths);
        }
        Assert.Multiple(() =>
        {
            Assert.That(actual.Episodes, Is.EqualTo(episodes));
            Assert.That(actual.Returns, Is.EqualTo(expectedReturns));
            Assert.That(actual.Lengths, Is.EqualTo(expectedLengths));
        });
    }

    [Test]
    public void The_agent_acts_on_all_copies_at_once()
    {
        var agent = new ThresholdAgent(new Discrete(2));
        var envs = Enumerable.Range(0, 5).Select(_ => new EpisodeIndexEnvironment(new Discrete(2))).ToArray();
        using var vector = new SyncVectorEnvironment(envs, AutoresetMode.SameStep);
        Evaluator.Evaluate(agent, vector, 5);
        Assert.That(agent.SeenShapes, Is.All.EqualTo("[5, 1]"));
    }

    [Test]
    public void Success_is_read_from_the_final_infos_under_same_step_autoreset()
    {
        // Episode k lasts 2 + k % 4 steps and succeeds when it lasts at least 4: seeds 0, 1, 2 give k = 0, 1, 2 → one success.
        var envs = Enumerable.Range(0, 3).Select(_ => new EpisodeIndexEnvironment(new Discrete(2))).ToArray();
        using var vector = new SyncVectorEnvironment(envs, AutoresetMode.SameStep);
        var report = Evaluator.Evaluate(new ThresholdAgent(new Discrete(2)), vector, 3, seed: 0);
        Assert.That(report.SuccessRate, Is.EqualTo(1.0 / 3).Within(1e-12));
    }

    [Test]
    public void Box_actions_go_through_the_float_overload()
    {
        var envs = Enumerable.Range(0, 2).Select(_ => new EpisodeIndexEnvironment(new Box(-1f, 1f, 1))).ToArray();
        using var vector = new SyncVectorEnvironment(envs, AutoresetMode.SameStep);
        var report = Evaluator.Evaluate(new ThresholdAgent(new Box(-1f, 1f, 1)), vector, 2, seed: 0);
        // The reward is the action component 0.5 per step; seeds 0 and 1 give lengths 2 and 3.
        Assert.That(report.Returns, Is.EqualTo(new[] { 1.0, 1.5 }));
    }

    [Test]
    public void Stochastic_acting_is_reproducible_for_a_seed()
    {
        double Run(ulong seed)
        {
            var envs = Enumerable.Range(0, 3).Select(_ => new EpisodeIndexEnvironment(new Discrete(2))).ToArray();
            using var vector = new SyncVectorEnvironment(envs, AutoresetMode.SameStep);
            return Evaluator.Evaluate(new ThresholdAgent(new Discrete(2)), vector, 30, deterministic: false, seed: seed).MeanReturn;
        }
        double first = Run(4), second = Run(4);
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Arguments_are_validated()
    {
        var agent = new ThresholdAgent(new Discrete(2));
        using var vector = new SyncVectorEnvironment([new EpisodeIndexEnvironment(new Discrete(2))], AutoresetMode.SameStep);
        using var boxVector = new SyncVectorEnvironment([new EpisodeIndexEnvironment(new Box(-1f, 1f, 1))], AutoresetMode.SameStep);
        using var wideVector = new SyncVectorEnvironment([new EpisodeIndexEnvironment(new Discrete(2), observationSize: 3)], AutoresetMode.SameStep);
        Assert.Multiple(() =>
        {
            Assert.That(() => Evaluator.Evaluate(null!, vector, 1), Throws.ArgumentNullException);
            Assert.That(() => Evaluator.Evaluate(agent, (IVectorEnvironment)null!, 1), Throws.ArgumentNullException);
            Assert.That(() => Evaluator.Evaluate(agent, vector, 0),
                        Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("episodes"));
            Assert.That(() => Evaluator.Evaluate(agent, vector, 1, solvedThreshold: double.NaN),
                        Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("solvedThreshold"));
            Assert.That(() => Evaluator.Evaluate(agent, boxVector, 1),
                        Throws.ArgumentException.With.Message.Contains("acts in"));
            Assert.That(() => Evaluator.Evaluate(agent, wideVector, 1),
                        Throws.ArgumentException.With.Message.Contains("size 3"));
        });
    }

    /// <summary>
    /// A deterministic environment that remembers its episodes: a seeded reset sets the episode index k to the seed,
    /// an unseeded one increments it. Episode k lasts 2 + k % 4 steps; the observation is t + 0.3·k (then zeros);
    /// the reward is 1 + the discrete action (or the continuous action); the final step reports "success" when the
    /// episode lasted at least 4 steps.
    /// </summary>
    private sealed class EpisodeIndexEnvironment(Space actionSpace, int observationSize = 1) : IEnvironment
    {
        private readonly float[] _observation = new float[observationSize];
        private long _episode = -1;
        private int _t;

        public string Id => "EpisodeIndex-v0";
        public Space ObservationSpace { get; } = new Box(float.NegativeInfinity, float.PositiveInfinity, observationSize);
        public Space ActionSpace { get; } = actionSpace;

        public ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
        {
            _episode = seed is { } s ? (long)s : _episode + 1;
            _t = 0;
            Observe();
            return new ResetResult(_observation, EnvInfo.Empty);
        }

        public StepResult Step(int action) => Advance(1 + action);
        public StepResult Step(ReadOnlySpan<float> action) => Advance(action[0]);
        public StepResult Step(ReadOnlySpan<int> action) => Advance(1 + action[0]);

        private StepResult Advance(double reward)
        {
            _t++;
            Observe();
            int length = 2 + (int)(_episode % 4);
            bool done = _t >= length;
            var info = done ? new Dictionary<string, object> { ["success"] = length >= 4 } : EnvInfo.Empty;
            return new StepResult(_observation, reward, done, false, info);
        }

        private void Observe() => _observation[0] = _t + 0.3f * _episode;

        public void Dispose() { }
    }

    /// <summary>Acts per row: action 1 when the observation exceeds 1 (else 0), 0.5 for Box; stochastic acting draws 0 or 1.</summary>
    private sealed class ThresholdAgent(Space actionSpace) : IAgent
    {
        public string Algorithm => "threshold";
        public Space ObservationSpace { get; } = new Box(float.NegativeInfinity, float.PositiveInfinity, 1);
        public Space ActionSpace { get; } = actionSpace;
        public List<string> SeenShapes { get; } = [];

        public void Act(Tensor observations, Span<int> actions, bool deterministic, RandomGenerator? rng = null)
        {
            SeenShapes.Add(Tensor.ShapeString(observations.Shape));
            var rows = observations.AsReadOnlySpan();
            for (int i = 0; i < actions.Length; i++)
                actions[i] = deterministic ? (rows[i] > 1 ? 1 : 0) : rng!.NextInt(2);
        }

        public void Act(Tensor observations, Span<float> actions, bool deterministic, RandomGenerator? rng = null)
        {
            SeenShapes.Add(Tensor.ShapeString(observations.Shape));
            actions.Fill(0.5f);
        }
    }
}
