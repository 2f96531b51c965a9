using RLKit.Environments.Wrappers;
using RLKit.Envs.Grid;

namespace RLKit.Envs.Tests.Grid;

public class MiningGridTests
{
    private const int Right = 0, Down = 1, Left = 2;

    private static MiningGrid Empty(int size = 10)
    {
        var env = new MiningGrid(new MiningGridOptions { GridSize = size, MineCount = 0 });
        env.Reset(seed: 0);
        return env;
    }

    [Test]
    public void SpacesMatchTheDocumentedDefaults()
    {
        var env = new MiningGrid();
        Assert.That(env.Tools.Count, Is.EqualTo(104));
        Assert.That(env.Tools.RepresentationSize, Is.EqualTo(4));
        Assert.That(env.ObservationSpace.FlatSize, Is.EqualTo(18));
        var reps = env.Tools.Representations.ToArray();
        Assert.That(reps.All(v => v is >= 0 and <= 1), Is.True);
        Assert.That(Enumerable.Range(0, 104).Select(a => string.Join(",", reps.Skip(a * 4).Take(4))).Distinct().Count(), Is.EqualTo(104));
        env.Reset(seed: 4);
        int mines = 0;
        for (int y = 0; y < 10; y++) for (int x = 0; x < 10; x++) if (env.MineAt(x, y) >= 0) mines++;
        Assert.That(mines, Is.EqualTo(20));
    }

    [Test]
    public void TheMatchingPickAxeBreaksTheMineInFront()
    {
        var env = Empty();
        env.SetMine(1, 0, 3);
        var wrong = env.Step(env.ToolAction(2, null));
        Assert.That(env.MineAt(1, 0), Is.EqualTo(3));
        Assert.That(wrong.Reward, Is.EqualTo(0));
        var blocked = env.Step(Right);
        Assert.That(env.Agent, Is.EqualTo((0, 0)));
        Assert.That(blocked.Observation[3], Is.EqualTo(0f));      // right neighbour is not open
        Assert.That(blocked.Observation[7 + 3], Is.EqualTo(1f));  // front cell: mine type 3
        var hit = env.Step(env.ToolAction(3, null));
        Assert.That(env.MineAt(1, 0), Is.EqualTo(-1));
        Assert.That(hit.Reward, Is.EqualTo(MiningGrid.ToolReward + MiningGrid.BreakBonus).Within(1e-12));
        Assert.That(env.Step(Right).Reward, Is.EqualTo(0.1).Within(1e-12)); // one cell closer
        Assert.That(env.Agent, Is.EqualTo((1, 0)));
    }

    [Test]
    public void ATransformingPickAxeChangesTheMineType()
    {
        var env = Empty();
        env.SetMine(1, 0, 3);
        var step = env.Step(env.ToolAction(3, 5));
        Assert.That(env.MineAt(1, 0), Is.EqualTo(5));
        Assert.That(step.Reward, Is.EqualTo(MiningGrid.ToolReward).Within(1e-12));
        Assert.That(step.Terminated, Is.False);
    }

    [Test]
    public void TheGoalPaysTenDiscountedByStepsAndTerminates()
    {
        var env = Empty(size: 4);
        foreach (int a in new[] { Right, Right, Right, Down, Down })
            Assert.That(env.Step(a).Terminated, Is.False);
        var goal = env.Step(Down);
        Assert.That(goal.Terminated, Is.True);
        Assert.That(goal.Reward, Is.EqualTo(0.1 + 10 * (1 - 0.9 * 6 / 100.0)).Within(1e-12));
        Assert.That(goal.Observation[0], Is.EqualTo(1f));
    }

    [Test]
    public void OneHundredStepsTruncate()
    {
        var env = StandardEnvironments.CreateCatalog().Make("MiningGrid-v0", new MiningGridOptions { MineCount = 0 });
        Assert.That(((TimeLimit)env).MaxEpisodeSteps, Is.EqualTo(100));
        env.Reset(seed: 0);
        for (int t = 1; t < 100; t++) Assert.That(env.Step(Left).Done, Is.False);
        var last = env.Step(Left);
        Assert.That(last.Truncated, Is.True);
        Assert.That(last.Terminated, Is.False);
    }

    [Test]
    public void SameSeedGivesTheSameLayout()
    {
        var a = new MiningGrid();
        var b = new MiningGrid();
        a.Reset(seed: 11);
        b.Reset(seed: 11);
        Assert.That(a.Render(), Is.EqualTo(b.Render()));
        b.Reset(seed: 12);
        Assert.That(a.Render(), Is.Not.EqualTo(b.Render()));
    }

    [Test]
    public void BadOptionsAndCellsAreRejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MiningGrid(new MiningGridOptions { GridSize = 4, MineCount = 9 }));
        Assert.That(ex!.ParamName, Is.EqualTo("MineCount"));
        var env = Empty();
        Assert.Throws<ArgumentOutOfRangeException>(() => env.SetMine(9, 9, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.ToolAction(3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(104));
    }
}
