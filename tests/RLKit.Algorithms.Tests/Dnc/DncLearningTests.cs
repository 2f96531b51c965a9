using System.Diagnostics;
using RLKit.Algorithms.Dnc;
using RLKit.Algorithms.Tests.MultiTaskSac;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Dnc;

/// <summary>Seeded learning tests of DnC on the two-task short maze: the task policies reach their goals.</summary>
public class DncLearningTests
{
    [TestCase(DncMode.Full)]
    [TestCase(DncMode.RegularisationOnly)]
    public void TaskPoliciesReachTheirGoals(DncMode mode)
    {
        var tasks = ShortMaze.Tasks();
        var options = ShortMaze.Small(new DncOptions { Mode = mode, Seed = 7 }) with { DistillationSteps = 200 };
        var untrained = ShortMaze.SuccessRates(ShortMaze.Untrained(tasks, options, DncEstimator.Name), tasks);

        var updates = new List<TrainingUpdate>();
        var clock = Stopwatch.StartNew();
        var agent = new DncEstimator(options).Fit(tasks, Budget.Steps(10_000), new SynchronousProgress(updates.Add));
        double seconds = clock.Elapsed.TotalSeconds;
        var trained = ShortMaze.SuccessRates(agent, tasks);
        var last = updates.Last(u => !u.IsFinal).Losses;
        TestContext.Out.WriteLine($"{mode}: success untrained [{string.Join(", ", untrained)}], after 10,000 steps [{string.Join(", ", trained)}] ({seconds:0.0} s); " +
                                  $"last update: kl {last["kl"]:0.000}" + (last.TryGetValue("distillations", out double d) ? $", distillations {d}" : ""));

        Assert.That(untrained, Has.All.LessThanOrEqualTo(0.5), "the untrained policies already reach the goals; the test would show nothing");
        Assert.That(trained, Has.All.GreaterThanOrEqualTo(0.9));
        Assert.That(last.GetValueOrDefault("distillations"), Is.EqualTo(mode == DncMode.Full ? 10 : 0), "the full method distils 10 times, the other never");
    }
}
