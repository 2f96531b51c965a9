using RLKit.Environments.Wrappers;
using RLKit.Envs.Grid;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Envs.Tests.Grid;

public class DistralGridTests
{
    private const int Down = 0, Up = 1, Left = 2, Right = 3;

    private const string Walls =
        "##########\n" +
        "#..####..#\n" +
        "#..####..#\n" +
        "#..####..#\n" +
        "#........#\n" +
        "#..####..#\n" +
        "#..####..#\n" +
        "#..####..#\n" +
        "##########\n";

    [TestCase(4, 1, 1, 7, 8)]
    [TestCase(5, 1, 1, 4, 7)]
    [TestCase(6, 1, 1, 4, 3)]
    [TestCase(7, 1, 1, 1, 8)]
    [TestCase(8, 7, 2, 1, 8)]
    public void LayoutStartAndGoalMatchTheReference(int layout, int startRow, int startCol, int goalRow, int goalCol)
    {
        var env = new DistralGrid(layout);
        env.Reset(seed: 1);
        Assert.That(env.Start, Is.EqualTo((startRow, startCol)));
        Assert.That(env.Goal, Is.EqualTo((goalRow, goalCol)));
        Assert.That(env.Agent, Is.EqualTo(env.Start));
        var expected = Walls.ToCharArray();
        expected[startRow * 11 + startCol] = 'A';
        expected[goalRow * 11 + goalCol] = 'G';
        Assert.That(env.Render(), Is.EqualTo(new string(expected)));
        Assert.That(env.Id, Is.EqualTo($"DistralGrid{layout}-v0"));
    }

    [Test]
    public void WallBumpCostsPointSixAndLeavesTheAgentInPlace()
    {
        var env = new DistralGrid(4);
        env.Reset(seed: 0);
        foreach (int action in new[] { Up, Left })
        {
            var step = env.Step(action);
            Assert.That(step.Reward, Is.EqualTo(-0.6).Within(1e-12));
            Assert.That(env.Agent, Is.EqualTo((1, 1)));
            Assert.That(step.Terminated || step.Truncated, Is.False);
            Assert.That(step.Observation[2], Is.EqualTo(-0.6f).Within(1e-6));
        }
        Assert.That(env.Step(Down).Reward, Is.EqualTo(-0.1).Within(1e-12));
        Assert.That(env.Agent, Is.EqualTo((2, 1)));
    }

    [Test]
    public void GoalPaysOneAndTerminates()
    {
        var env = new DistralGrid(6); // (1,1) -> (4,3)
        env.Reset(seed: 0);
        foreach (int action in new[] { Down, Down, Down, Right })
        {
            var s = env.Step(action);
            Assert.That(s.Reward, Is.EqualTo(-0.1).Within(1e-12));
            Assert.That(s.Terminated, Is.False);
        }
        var last = env.Step(Right);
        Assert.That(last.Reward, Is.EqualTo(0.9).Within(1e-12));
        Assert.That(last.Terminated, Is.True);
        Assert.That(last.Truncated, Is.False);
        Assert.That(env.Agent, Is.EqualTo(env.Goal));
        Assert.Throws<InvalidOperationException>(() => env.Step(Down));
    }

    [Test]
    public void ObservationIsCellIndexPreviousActionAndPreviousReward()
    {
        var env = new DistralGrid(8); // start (7,2)
        var reset = env.Reset(seed: 0);
        Assert.That(reset.Observation.ToArray(), Is.EqualTo(new[] { 2f * 72 / 89 - 1, 0f, 0f }).Within(1e-6));
        var step = env.Step(Up);
        Assert.That(step.Observation.ToArray(), Is.EqualTo(new[] { 2f * 62 / 89 - 1, (Up - 1.5f) / 1.5f, -0.1f }).Within(1e-6));
        Assert.That(env.ObservationSpace is Box { } box && box.Contains(step.Observation), Is.True);
    }

    [Test]
    public void OutOfRangeActionAndLayoutAreRejected()
    {
        var env = new DistralGrid(4);
        env.Reset(seed: 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(-1));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DistralGrid(3));
        Assert.That(ex!.ParamName, Is.EqualTo("layout"));
    }

    [Test]
    public void CatalogAppliesTheStepLimitAsTruncation()
    {
        var catalog = StandardEnvironments.CreateCatalog();
        var env = catalog.Make("DistralGrid4-v0", new DistralGridOptions { MaxEpisodeSteps = 3 });
        Assert.That(env, Is.InstanceOf<TimeLimit>());
        env.Reset(seed: 0);
        Assert.That(env.Step(Up).Truncated, Is.False);
        Assert.That(env.Step(Up).Truncated, Is.False);
        var third = env.Step(Up);
        Assert.That(third.Truncated, Is.True);
        Assert.That(third.Terminated, Is.False);
        Assert.That(((TimeLimit)catalog.Make("DistralGrid5-v0")).MaxEpisodeSteps, Is.EqualTo(100));
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => catalog.Make("DistralGrid4-v0", new DistralGridOptions { MaxEpisodeSteps = 0 }));
        Assert.That(bad!.ParamName, Is.EqualTo("MaxEpisodeSteps"));
    }

    [Test]
    public void TaskSetHoldsGridsFourToEight()
    {
        var tasks = StandardEnvironments.CreateCatalog().MakeTaskSet("distral-grids-4-8", new DistralGridOptions { MaxEpisodeSteps = 1000 });
        Assert.That(tasks.Name, Is.EqualTo("distral-grids-4-8"));
        Assert.That(tasks.TaskCount, Is.EqualTo(5));
        Assert.That(tasks.TaskIds, Is.EqualTo(new[] { "DistralGrid4-v0", "DistralGrid5-v0", "DistralGrid6-v0", "DistralGrid7-v0", "DistralGrid8-v0" }));
        for (int t = 0; t < 5; t++)
        {
            var env = (TimeLimit)tasks.CreateEnvironment(t);
            Assert.That(env.MaxEpisodeSteps, Is.EqualTo(1000));
            Assert.That(((DistralGrid)env.Unwrapped).Layout, Is.EqualTo(4 + t));
        }
        Assert.That(tasks.ActionSpace.Description, Is.EqualTo("Discrete(4)"));
        Assert.Throws<ArgumentOutOfRangeException>(() => tasks.CreateEnvironment(5));
    }

    [Test]
    public void SameSeedGivesTheSameTrajectory()
    {
        static List<float> Run(ulong seed)
        {
            var env = new DistralGrid(7);
            var rng = new RandomGenerator(seed);
            var space = (Discrete)env.ActionSpace;
            var trace = new List<float>();
            env.Reset(seed: seed);
            for (int i = 0; i < 200; i++)
            {
                var s = env.Step(space.Sample(rng));
                trace.AddRange(s.Observation.ToArray());
                trace.Add((float)s.Reward);
                if (s.Done) env.Reset();
            }
            return trace;
        }
        var first = Run(42);
        var second = Run(42);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(Run(43), Is.Not.EqualTo(first));
    }

    [Test]
    public void StepAllocatesNothing()
    {
        var env = new DistralGrid(4);
        int[] actions = [Down, Right, Up, Left, Down, Down, Right];
        env.Reset(seed: 0);
        for (int i = 0; i < 100; i++) { if (env.Step(actions[i % actions.Length]).Done) env.Reset(); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) { if (env.Step(actions[i % actions.Length]).Done) env.Reset(); }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
