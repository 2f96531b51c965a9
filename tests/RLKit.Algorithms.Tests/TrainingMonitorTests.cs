using RLKit.Training;

namespace RLKit.Algorithms.Tests;

public class TrainingMonitorTests
{
    [Test]
    public void CountsEpisodesAcrossSubEnvironmentsAndStopsAtTheThreshold()
    {
        var monitor = new TrainingMonitor("test", Budget.Steps(1000).UntilMeanReturn(2.5, window: 2), envCount: 2);
        monitor.RecordStep([1f, 1f], [false, false], [false, false]);
        monitor.RecordStep([1f, 2f], [true, false], [false, true]);   // env0: return 2 (terminated); env1: 3 (truncated)
        Assert.That(monitor.Steps, Is.EqualTo(4));
        Assert.That(monitor.Episodes, Is.EqualTo(2));
        Assert.That(monitor.MeanReturn, Is.EqualTo(2.5));
        Assert.That(monitor.MeanLength, Is.EqualTo(2));
        Assert.That(monitor.ShouldStop, Is.True);
        Assert.That(monitor.StopReason, Does.Contain("mean return"));
    }

    [Test]
    public void EpisodesPerTaskWaitsForTheSlowestTask()
    {
        // Two tasks with two sub-environments each: envs 0 and 1 play task a, envs 2 and 3 task b.
        var tasks = new RLKit.Environments.TaskAssignment(["a", "b"], environmentsPerTask: 2);
        var monitor = new TrainingMonitor("test", Budget.EpisodesPerTask(2), envCount: 4, tasks: tasks);
        monitor.RecordStep([0f, 0f, 0f, 0f], [true, true, false, false], [false, false, false, false]);
        monitor.RecordStep([0f, 0f, 0f, 0f], [true, false, false, false], [false, false, false, true]);
        Assert.That((monitor.EpisodesOfTask(0), monitor.EpisodesOfTask(1)), Is.EqualTo((3L, 1L)));
        Assert.That(monitor.FewestTaskEpisodes, Is.EqualTo(1));
        Assert.That(monitor.Progress, Is.EqualTo(0.5));
        Assert.That(monitor.ShouldStop, Is.False, "task b has one episode");
        monitor.RecordStep([0f, 0f, 0f, 0f], [false, false, true, false], [false, false, false, false]);
        Assert.That(monitor.ShouldStop, Is.True);
        Assert.That(monitor.StopReason, Is.EqualTo("every task completed 2 episodes"));
        Assert.Throws<ArgumentException>(() => new TrainingMonitor("test", Budget.Steps(1), envCount: 3, tasks: tasks));
        Assert.Throws<ArgumentOutOfRangeException>(() => Budget.EpisodesPerTask(0));
    }

    [Test]
    public void StopsAtTheStepBudgetOrOnCancellation()
    {
        var monitor = new TrainingMonitor("test", Budget.Steps(4), envCount: 2);
        monitor.RecordStep([0f, 0f], [false, false], [false, false]);
        Assert.That(monitor.ShouldStop, Is.False);
        Assert.That(monitor.Progress, Is.EqualTo(0.5));
        monitor.RecordStep([0f, 0f], [false, false], [false, false]);
        Assert.That(monitor.ShouldStop, Is.True);

        using var cts = new CancellationTokenSource();
        var cancelled = new TrainingMonitor("test", Budget.Steps(100), envCount: 1, cancellationToken: cts.Token);
        Assert.That(cancelled.ShouldStop, Is.False);
        cts.Cancel();
        Assert.That(cancelled.ShouldStop, Is.True);
        Assert.That(cancelled.StopReason, Is.EqualTo("cancelled"));
    }

    [Test]
    public void IsCancellationRequestedLooksOnlyAtTheToken()
    {
        using var cts = new CancellationTokenSource();
        var monitor = new TrainingMonitor("test", Budget.Steps(1), envCount: 1, cancellationToken: cts.Token);
        monitor.RecordStep([0f], [false], [false]);
        Assert.That(monitor.ShouldStop, Is.True);
        Assert.That(monitor.IsCancellationRequested, Is.False, "a spent budget lets an update finish");
        cts.Cancel();
        Assert.That(monitor.IsCancellationRequested, Is.True);
    }

    [Test]
    public void BudgetValidationNamesTheArgument()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Budget.Steps(0));
        Assert.That(ex!.ParamName, Is.EqualTo("steps"));
        Assert.Throws<ArgumentException>(() => new TrainingMonitor("test", Budget.Steps(10), envCount: 1).RecordStep([1f, 2f], [false], [false]));
    }
}
