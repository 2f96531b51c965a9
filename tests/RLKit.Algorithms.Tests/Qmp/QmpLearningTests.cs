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
        var options = ShortMaze.Small(new QmpOptions { Seed = 7 });
        var updates = new List<TrainingUpdate>();
        var agent = ShortMaze.AssertLearns(new QmpEstimator(options), options, steps: 10_000, new SynchronousProgress(updates.Add));
        Assert.That(agent.Algorithm, Is.EqualTo("qmp"));
        var selection = updates.Last(u => !u.IsFinal).Losses.Where(l => l.Key.StartsWith("selection/", StringComparison.Ordinal)).ToList();
        TestContext.Out.WriteLine($"last update's selection: {string.Join(", ", selection.Select(l => $"{l.Key} {l.Value:0.00}"))}");
        Assert.That(selection, Has.Count.EqualTo(4));
    }
}
