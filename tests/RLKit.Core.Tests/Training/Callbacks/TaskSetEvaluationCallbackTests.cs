using RLKit.Spaces;
using RLKit.Training;
using RLKit.Training.Callbacks;
using RLKit.Training.Metrics;

namespace RLKit.Core.Tests.Training.Callbacks;

[TestFixture]
public sealed class TaskSetEvaluationCallbackTests
{
    /// <summary>Keeps every write as (step, tag → value).</summary>
    private sealed class RecordingSink : IMetricSink
    {
        public List<(long Step, Dictionary<string, double> Scalars)> Writes { get; } = [];
        public int Flushes { get; private set; }
        public void Write(long step, IReadOnlyDictionary<string, double> scalars) => Writes.Add((step, new Dictionary<string, double>(scalars)));
        public void Write(long step, string tag, double value) => Writes.Add((step, new Dictionary<string, double> { [tag] = value }));
        public void Flush() => Flushes++;
        public void Dispose() { }
    }

    /// <summary>Reports one update per entry of <paramref name="stepsPerUpdate"/> after recording that many single-env steps.</summary>
    private static void Drive(TaskSetEvaluationCallback callback, IAgent agent, params int[] stepsPerUpdate)
    {
        var monitor = new TrainingMonitor("test", Budget.Steps(1_000_000), envCount: 1, callbacks: [callback]);
        float[] reward = [0f];
        bool[] notDone = [false];
        foreach (int steps in stepsPerUpdate)
        {
            for (int i = 0; i < steps; i++) monitor.RecordStep(reward, notDone, notDone);
            monitor.Report(agent, new Dictionary<string, double>(), 0);
        }
    }

    [Test]
    public void Evaluates_every_k_steps_and_keeps_the_history()
    {
        var taskSet = new ScriptedTaskSet(2);
        using var callback = new TaskSetEvaluationCallback(taskSet, everySteps: 100, episodesPerTask: 2);
        var seen = new List<long>();
        callback.Evaluated += (steps, _) => seen.Add(steps);
        // Updates at steps 50, 100, 150, 250, 300: the 100-step marks are first reached at 100, 250 (past 200) and 300.
        Drive(callback, new ScriptedMultiTaskAgent(taskSet.TaskIds, wrong: 1), 50, 50, 50, 100, 50);

        Assert.Multiple(() =>
        {
            Assert.That(callback.History.Select(h => h.Steps), Is.EqualTo(new long[] { 100, 250, 300 }));
            Assert.That(seen, Is.EqualTo(new long[] { 100, 250, 300 }));
            Assert.That(callback.History.Select(h => h.Report.SuccessRate), Is.All.EqualTo(0.5));
            Assert.That(callback.LastReport, Is.SameAs(callback.History[^1].Report));
            Assert.That(taskSet.Created, Has.Count.EqualTo(2), "one environment per task, reused");
        });
    }

    [Test]
    public void Evaluate_at_the_end_adds_an_evaluation_unless_one_was_made_at_that_step()
    {
        var taskSet = new ScriptedTaskSet(2);
        var agent = new ScriptedMultiTaskAgent(taskSet.TaskIds);
        using var callback = new TaskSetEvaluationCallback(taskSet, everySteps: 100, episodesPerTask: 1);
        Drive(callback, agent, 100);
        int calls = agent.Calls.Count;

        var again = callback.Evaluate(agent, 100);
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.SameAs(callback.History[0].Report));
            Assert.That(agent.Calls, Has.Count.EqualTo(calls), "no second evaluation at the same step");
        });
        callback.Evaluate(agent, 130);
        Assert.That(callback.History.Select(h => h.Steps), Is.EqualTo(new long[] { 100, 130 }));
        Assert.That(() => callback.Evaluate(agent, 120), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("steps"));
    }

    [Test]
    public void Writes_per_task_success_and_return_and_the_mean_success_to_the_sink()
    {
        var taskSet = new ScriptedTaskSet(2);
        var sink = new RecordingSink();
        using var callback = new TaskSetEvaluationCallback(taskSet, everySteps: 10, episodesPerTask: 2, sink: sink);
        Drive(callback, new ScriptedMultiTaskAgent(taskSet.TaskIds), 10);

        // Task 0 succeeds in both episodes, task 1 in episode 0 only.
        Assert.Multiple(() =>
        {
            Assert.That(sink.Writes, Has.Count.EqualTo(1));
            Assert.That(sink.Writes[0].Step, Is.EqualTo(10));
            Assert.That(sink.Writes[0].Scalars, Is.EquivalentTo(new Dictionary<string, double>
            {
                [TaskSetEvaluationCallback.SuccessRateTag] = 0.75,
                ["eval/success/Task0"] = 1.0,
                ["eval/success/Task1"] = 0.5,
                ["eval/return/Task0"] = 3.0,
                ["eval/return/Task1"] = 6.0,
            }));
            Assert.That(sink.Flushes, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_single_task_agent_gets_a_clear_error()
    {
        using var callback = new TaskSetEvaluationCallback(new ScriptedTaskSet(2), everySteps: 10);
        var agent = new ScriptedAgent(new Box(-1f, 1f, 1));
        Assert.That(() => Drive(callback, agent, 10),
                    Throws.InvalidOperationException.With.Message.Contains("is not an IMultiTaskAgent"));
    }

    [Test]
    public void Bad_arguments_are_rejected()
    {
        var taskSet = new ScriptedTaskSet(2);
        Assert.Multiple(() =>
        {
            Assert.That(() => new TaskSetEvaluationCallback(null!, 10), Throws.ArgumentNullException);
            Assert.That(() => new TaskSetEvaluationCallback(taskSet, 0),
                        Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("everySteps"));
            Assert.That(() => new TaskSetEvaluationCallback(taskSet, 10, episodesPerTask: 0),
                        Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("episodesPerTask"));
            using var callback = new TaskSetEvaluationCallback(taskSet, 10);
            Assert.That(() => callback.Evaluate(null!, 10), Throws.ArgumentNullException);
            Assert.That(() => callback.Evaluate(new ScriptedMultiTaskAgent(taskSet.TaskIds), -1),
                        Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => callback.Evaluate(new ScriptedMultiTaskAgent(["Task0", "Task1", "Task2"]), 10),
                        Throws.ArgumentException.With.Message.Contains("3 task policies"));
        });
    }

    [Test]
    public void Dispose_disposes_the_evaluation_environments()
    {
        var taskSet = new ScriptedTaskSet(2);
        var callback = new TaskSetEvaluationCallback(taskSet, everySteps: 10, episodesPerTask: 1);
        callback.Evaluate(new ScriptedMultiTaskAgent(taskSet.TaskIds), 10);
        callback.Dispose();
        Assert.That(taskSet.Created.Select(e => e.Disposed), Is.All.True);
    }
}
