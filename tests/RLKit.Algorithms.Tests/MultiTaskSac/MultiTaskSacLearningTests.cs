using System.Diagnostics;
using RLKit.Algorithms.MultiTaskSac;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.MultiTaskSac;

/// <summary>Seeded learning test of the multi-task SAC harness: separated task policies reach their goals.</summary>
public class MultiTaskSacLearningTests
{
    [Test]
    public void SeparatedTaskPoliciesReachTheirGoals()
    {
        var tasks = ShortMaze.Tasks();
        var options = ShortMaze.Small(new MultiTaskSacOptions { Sharing = TaskParameterSharing.Separate, Seed = 7 });
        var untrained = ShortMaze.SuccessRates(ShortMaze.Untrained(tasks, options), tasks);

        var clock = Stopwatch.StartNew();
        var agent = new MultiTaskSacEstimator(options).Fit(tasks, Budget.Steps(10_000));
        double seconds = clock.Elapsed.TotalSeconds;
        var trained = ShortMaze.SuccessRates(agent, tasks);
        TestContext.Out.WriteLine($"success untrained [{string.Join(", ", untrained)}], after 10,000 steps [{string.Join(", ", trained)}] ({seconds:0.0} s)");

        Assert.That(untrained, Has.All.LessThanOrEqualTo(0.5), "the untrained policies already reach the goals; the test would show nothing");
        Assert.That(trained, Has.All.GreaterThanOrEqualTo(0.9));
    }
}
