using RLKit.Spaces;
using RLKit.Training.Evaluation;

namespace RLKit.Core.Tests.Training.Evaluation;

[TestFixture]
public sealed class EvaluatorTests
{
    [Test]
    public void Statistics_match_hand_computed_values()
    {
        // Greedy action 1 earns 1 per step, so returns equal the scripted lengths 3, 5, 2.
        using var env = new ScriptedEnvironment(new Discrete(2), [3, 5, 2], reportSuccess: true);
        var agent = new ScriptedAgent(new Discrete(2));

        var report = Evaluator.Evaluate(agent, env, episodes: 3, solvedThreshold: 3.3);

        Assert.Multiple(() =>
        {
            Assert.That(report.Returns, Is.EqualTo(new[] { 3.0, 5.0, 2.0 }));
            Assert.That(report.Lengths, Is.EqualTo(new[] { 3, 5, 2 }));
            Assert.That(report.MeanReturn, Is.EqualTo(10.0 / 3).Within(1e-12));
            // Population std: sqrt(((3 − 10/3)² + (5 − 10/3)² + (2 − 10/3)²) / 3) = sqrt(14/9 · 1) = sqrt(1.5556).
            Assert.That(report.StdReturn, Is.EqualTo(Math.Sqrt(14.0 / 9)).Within(1e-12));
            Assert.That(report.MinReturn, Is.EqualTo(2.0));
            Assert.That(report.MaxReturn, Is.EqualTo(5.0));
            Assert.That(report.MeanLength, Is.EqualTo(10.0 / 3).Within(1e-12));
            Assert.That(report.SuccessRate, Is.EqualTo(2.0 / 3).Within(1e-12));
            Assert.That(report.Solved, Is.True);
            Assert.That(report.Episodes, Is.EqualTo(3));
        });
    }

    [Test]
    public void Solved_is_false_below_the_threshold_and_null_without_one()
    {
        using var env = new ScriptedEnvironment(new Discrete(2), [3, 5, 2]);
        var agent = new ScriptedAgent(new Discrete(2));
        Assert.That(Evaluator.Evaluate(agent, env, 3, solvedThreshold: 3.34).Solved, Is.False);
        Assert.That(Evaluator.Evaluate(agent, env, 3).Solved, Is.Null);
    }

    [Test]
    public void Success_rate_is_null_when_the_environment_never_reports_success()
    {
        using var env = new ScriptedEnvironment(new Discrete(2), [4], reportSuccess: false);
        var report = Evaluator.Evaluate(new ScriptedAgent(new Discrete(2)), env, 2);
        Assert.That(report.SuccessRate, Is.Null);
    }

    [Test]
    public void The_agent_sees_each_observation_in_one_reused_1_by_obs_tensor()
    {
        using var env = new ScriptedEnvironment(new Discrete(2), [3, 2]);
        var agent = new ScriptedAgent(new Discrete(2));
        Evaluator.Evaluate(agent, env, 2);
        Assert.Multiple(() =>
        {
            Assert.That(agent.SeenObservations, Is.EqualTo(new float[] { 0, 1, 2, 0, 1 }));
            Assert.That(agent.SeenShapes, Is.All.EqualTo("[1, 1]"));
            Assert.That(agent.SeenTensors, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void Box_actions_go_through_the_float_overload()
    {
        using var env = new ScriptedEnvironment(new Box(-1f, 1f, 1), [4, 2]);
        var report = Evaluator.Evaluate(new ScriptedAgent(new Box(-1f, 1f, 1)), env, 2);
        Assert.That(report.Returns, Is.EqualTo(new[] { 2.0, 1.0 }));
    }

    [Test]
    public void Only_the_first_reset_is_seeded_and_stochastic_acting_is_reproducible()
    {
        using var env = new ScriptedEnvironment(new Discrete(2), [20]);
        var agent = new ScriptedAgent(new Discrete(2));
        var first = Evaluator.Evaluate(agent, env, 3, deterministic: false, seed: 7);
        var second = Evaluator.Evaluate(agent, env, 3, deterministic: false, seed: 7);
        var other = Evaluator.Evaluate(agent, env, 3, deterministic: false, seed: 8);
        Assert.Multiple(() =>
        {
            Assert.That(env.ResetSeeds.Take(3), Is.EqualTo(new ulong?[] { 7, null, null }));
            Assert.That(second.Returns, Is.EqualTo(first.Returns));
            Assert.That(other.Returns, Is.Not.EqualTo(first.Returns));
            Assert.That(first.MaxReturn, Is.LessThan(20)); // sampling, not the greedy 20
        });
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void Fewer_than_one_episode_is_rejected(int episodes)
    {
        using var env = new ScriptedEnvironment(new Discrete(2), [3]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Evaluator.Evaluate(new ScriptedAgent(new Discrete(2)), env, episodes));
        Assert.That(error!.ParamName, Is.EqualTo("episodes"));
        Assert.That(error.Message, Does.Contain("at least 1"));
    }

    [Test]
    public void Mismatched_action_kinds_are_rejected_with_both_spaces_named()
    {
        using var env = new ScriptedEnvironment(new Box(-1f, 1f, 1), [3]);
        var error = Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(new ScriptedAgent(new Discrete(2)), env, 1));
        Assert.That(error!.Message, Does.Contain("Discrete(2)").And.Contain("Box"));
    }

    [Test]
    public void Summary_line_is_culture_invariant()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            using var env = new ScriptedEnvironment(new Discrete(2), [3, 4]);
            var text = Evaluator.Evaluate(new ScriptedAgent(new Discrete(2)), env, 2).ToString();
            Assert.That(text, Does.StartWith("mean 3.5 ± 0.5 (min 3, max 4) over 2 episodes"));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }
}
