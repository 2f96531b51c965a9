using System.Diagnostics;
using RLKit.Algorithms.Qmp;
using RLKit.Algorithms.Tests.MultiTaskSac;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Qmp;

/// <summary>Seeded learning test of QMP: on a two-task maze subset, the task policies trained on mixture data reach their goals.</summary>
public class QmpLearningTests
{
    [Test]
    public void QSwitchMixtureTrainsTaskPoliciesThatReachTheirGoals()
    {
        var tasks = ShortMaze.Tasks();
        var options = ShortMaze.Small(new QmpOptions { Seed = 7 });
        var untrained = ShortMaze.SuccessRates(ShortMaze.Untrained(tasks, options, QmpEstimator.Name), tasks);

        var updates = new List<TrainingUpdate>();
        var clock = Stopwatch.StartNew();
        var agent = new QmpEstimator(options).Fit(tasks, Budget.Steps(10_000), new SynchronousProgress(updates.Add));
        double seconds = clock.Elapsed.TotalSeconds;
        var trained = ShortMaze.SuccessRates(agent, tasks);
        var last = updates.Last(u => !u.IsFinal).Losses;
        TestContext.Out.WriteLine($"success untrained [{string.Join(", ", untrained)}], after 10,000 steps [{string.Join(", ", trained)}] ({seconds:0.0} s); " +
                                  $"last update's selection: {string.Join(", ", last.Where(l => l.Key.StartsWith("selection/")).Select(l => $"{l.Key} {l.Value:0.00}"))}");

        Assert.That(agent.Algorithm, Is.EqualTo("qmp"));
        Assert.That(untrained, Has.All.LessThanOrEqualTo(0.5), "the untrained policies already reach the goals; the test would show nothing");
        Assert.That(trained, Has.All.GreaterThanOrEqualTo(0.9));
    }
}
