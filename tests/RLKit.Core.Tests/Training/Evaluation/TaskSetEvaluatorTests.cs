using RLKit.Training.Evaluation;

namespace RLKit.Core.Tests.Training.Evaluation;

[TestFixture]
public sealed class TaskSetEvaluatorTests
{
    [Test]
    public void Success_counts_the_last_step_of_each_episode_per_task()
    {
        // 6 episodes per task: task t succeeds in the episodes whose index is a multiple of t + 1 when acting right;
        // task 2 acts wrong, so it never succeeds, although step 1 of every episode says "success".
        var taskSet = new ScriptedTaskSet(4);
        using var evaluator = new TaskSetEvaluator(taskSet, episodesPerTask: 6);
        var report = evaluator.Evaluate(new ScriptedMultiTaskAgent(taskSet.TaskIds, wrong: 2));

        Assert.Multiple(() =>
        {
            Assert.That(report.Tasks.Select(t => t.TaskId), Is.EqualTo(taskSet.TaskIds));
            Assert.That(report.Tasks.Select(t => t.Task), Is.EqualTo(new[] { 0, 1, 2, 3 }));
            Assert.That(report.Tasks.Select(t => t.SuccessRate), Is.EqualTo(new[] { 1.0, 3 / 6.0, 0.0, 2 / 6.0 }).Within(1e-12));
            Assert.That(report.Tasks.Select(t => t.MeanReturn), Is.EqualTo(new[] { 3.0, 6.0, 9.0, 12.0 }));
            Assert.That(report.Tasks.All(t => t.ReportsSuccess && t.Report.Episodes == 6));
            Assert.That(report.SuccessRate, Is.EqualTo((1 + 0.5 + 0 + 2 / 6.0) / 4).Within(1e-12));
            Assert.That(report.MeanReturn, Is.EqualTo(7.5));
            Assert.That(report.TasksSolved(0.5), Is.EqualTo(2));
            Assert.That(report.TasksSolved(0.0), Is.EqualTo(4));
        });
    }

    [Test]
    public void Each_policy_acts_on_its_own_task()
    {
        var taskSet = new ScriptedTaskSet(3);
        var agent = new ScriptedMultiTaskAgent(taskSet.TaskIds);
        using var evaluator = new TaskSetEvaluator(taskSet, episodesPerTask: 2);
        evaluator.Evaluate(agent);
        Assert.That(agent.Calls, Is.EqualTo(Enumerable.Range(0, 3)
            .SelectMany(t => Enumerable.Repeat((t, (float)t), 2 * ScriptedTaskEnvironment.EpisodeLength))));
    }

    [Test]
    public void One_environment_per_task_is_reused_and_reset_with_the_same_seeds_every_evaluation()
    {
        var taskSet = new ScriptedTaskSet(3);
        var agent = new ScriptedMultiTaskAgent(taskSet.TaskIds);
        var evaluator = new TaskSetEvaluator(taskSet, episodesPerTask: 2, seed: 40);
        var first = evaluator.Evaluate(agent);
        var second = evaluator.Evaluate(agent);

        Assert.Multiple(() =>
        {
            Assert.That(taskSet.Created, Has.Count.EqualTo(3));
            for (int t = 0; t < 3; t++)
                Assert.That(taskSet.Created[t].ResetSeeds, Is.EqualTo(new ulong?[] { 40UL + (ulong)t, null, 40UL + (ulong)t, null }), $"task {t}");
            Assert.That(second.Tasks.Select(t => t.SuccessRate), Is.EqualTo(first.Tasks.Select(t => t.SuccessRate)));
        });
        evaluator.Dispose();
        Assert.That(taskSet.Created.All(e => e.Disposed));
        Assert.Throws<ObjectDisposedException>(() => evaluator.Evaluate(agent));
    }

    [Test]
    public void A_task_that_never_reports_success_counts_zero()
    {
        var taskSet = new ScriptedTaskSet(2, reportSuccess: false);
        using var evaluator = new TaskSetEvaluator(taskSet, episodesPerTask: 1);
        var report = evaluator.Evaluate(new ScriptedMultiTaskAgent(taskSet.TaskIds));
        Assert.Multiple(() =>
        {
            Assert.That(report.Tasks.Select(t => t.ReportsSuccess), Is.All.False);
            Assert.That(report.SuccessRate, Is.Zero);
        });
    }

    [Test]
    public void Bad_arguments_are_rejected()
    {
        var taskSet = new ScriptedTaskSet(2);
        Assert.Multiple(() =>
        {
            Assert.That(() => new TaskSetEvaluator(null!), Throws.ArgumentNullException);
            Assert.That(() => new TaskSetEvaluator(taskSet, episodesPerTask: 0),
                        Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("episodesPerTask"));
            Assert.That(() => new TaskSetEvaluator(new ScriptedTaskSet(0)),
                        Throws.ArgumentException.With.Message.Contains("no tasks"));
            using var evaluator = new TaskSetEvaluator(taskSet, 1);
            Assert.That(() => evaluator.Evaluate(null!), Throws.ArgumentNullException);
            Assert.That(() => evaluator.Evaluate(new ScriptedMultiTaskAgent(["Task0"])),
                        Throws.ArgumentException.With.Message.Contains("1 task policies").And.Message.Contains("2 tasks"));
            Assert.That(() => evaluator.Evaluate(new ScriptedMultiTaskAgent(["Task1", "Task0"])),
                        Throws.ArgumentException.With.Message.Contains("task 0 is 'Task1'"));
            var report = evaluator.Evaluate(new ScriptedMultiTaskAgent(taskSet.TaskIds));
            Assert.That(() => report.TasksSolved(1.5), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => report.TasksSolved(double.NaN), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }
}
