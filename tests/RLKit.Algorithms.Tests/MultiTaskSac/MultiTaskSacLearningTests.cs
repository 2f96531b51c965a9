using RLKit.Algorithms.MultiTaskSac;

namespace RLKit.Algorithms.Tests.MultiTaskSac;

/// <summary>Seeded learning test of the multi-task SAC harness: separated task policies reach their goals.</summary>
public class MultiTaskSacLearningTests
{
    [Test]
    public void SeparatedTaskPoliciesReachTheirGoals()
    {
        var options = ShortMaze.Small(new MultiTaskSacOptions { Sharing = TaskParameterSharing.Separate, Seed = 7 });
        ShortMaze.AssertLearns(new MultiTaskSacEstimator(options), options, steps: 10_000);
    }
}
