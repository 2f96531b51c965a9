using RLKit.Envs.Grid;

namespace RLKit.Envs.Tests.Grid;

public class DigLavaGridTests
{
    private const int Right = (int)DigLavaSkill.MoveRight, Up = (int)DigLavaSkill.MoveUp;

    private static DigLavaGrid Make(DigLavaSkill a, DigLavaSkill b, double exploration = 0, double dig = 0)
    {
        var env = new DigLavaGrid(new DigLavaGridOptions { SpecialSkills = [a, b], ExplorationReward = exploration, DigReward = dig });
        env.Reset(seed: 0);
        return env;
    }

    [Test]
    public void LayoutMatchesTheReference()
    {
        var env = Make(DigLavaSkill.TurnRight, DigLavaSkill.MoveForward);
        Assert.That(env.Agent, Is.EqualTo((1, 5)));
        Assert.That(DigLavaGrid.Goal, Is.EqualTo((9, 5)));
        for (int y = 1; y <= 9; y++)
        {
            Assert.That(env.CellId(3, y), Is.EqualTo(y == 1 ? DigLavaGrid.GapId : DigLavaGrid.OrangeLavaId), $"orange column at y={y}");
            Assert.That(env.CellId(7, y), Is.EqualTo(y == 9 ? DigLavaGrid.GapId : DigLavaGrid.PinkLavaId), $"pink column at y={y}");
            Assert.That(env.CellId(5, y), Is.EqualTo(DigLavaGrid.EmptyId));
        }
        Assert.That(env.CellId(9, 5), Is.EqualTo(DigLavaGrid.GoalId));
        Assert.That(env.ObservationSpace.FlatSize, Is.EqualTo(166));
        Assert.That(env.Render().Split('\n')[5], Is.EqualTo("#>.O...P.G#"));
    }

    [Test]
    public void EnteringLavaWithoutTheMatchingDigEndsTheEpisode()
    {
        var env = Make(DigLavaSkill.TurnRight, DigLavaSkill.MoveForward);
        env.Step(Right);
        var enter = env.Step(Right);
        Assert.That(env.InLava, Is.True);
        Assert.That(enter.Terminated, Is.False);
        var next = env.Step(Up);
        Assert.That(next.Terminated, Is.True);
        Assert.That(next.Reward, Is.EqualTo(0));
    }

    [Test]
    public void TheWrongColourDigDoesNotSave()
    {
        var env = Make(DigLavaSkill.DigOrange, DigLavaSkill.DigPink);
        env.Step(Right);
        env.Step(Right);
        var wrong = env.Step((int)DigLavaSkill.DigPink);
        Assert.That(wrong.Terminated, Is.True);
        Assert.That(wrong.Reward, Is.EqualTo(0));
    }

    [Test]
    public void MatchingDigsOpenAShortcutWithSubgoalAndGoalRewards()
    {
        var env = Make(DigLavaSkill.DigOrange, DigLavaSkill.DigPink);
        env.Step(Right);                                       // t1 (2,5)
        env.Step(Right);                                       // t2 (3,5) orange lava
        var dig = env.Step((int)DigLavaSkill.DigOrange);       // t3
        Assert.That(dig.Terminated, Is.False);
        Assert.That(env.InLava, Is.False);
        Assert.That(env.CellId(3, 5), Is.EqualTo(DigLavaGrid.EmptyId));
        var cross = env.Step(Right);                           // t4 (4,5): first subgoal
        Assert.That(cross.Reward, Is.EqualTo(0.5 * (1 - 0.9 * 4 / 50.0)).Within(1e-12));
        env.Step(Right);                                       // t5 (5,5)
        env.Step(Right);                                       // t6 (6,5)
        env.Step(Right);                                       // t7 (7,5) pink lava
        Assert.That(env.Step((int)DigLavaSkill.DigPink).Terminated, Is.False); // t8
        var second = env.Step(Right);                          // t9 (8,5): second subgoal
        Assert.That(second.Reward, Is.EqualTo(0.5 * (1 - 0.9 * 9 / 50.0)).Within(1e-12));
        var goal = env.Step(Right);                            // t10 (9,5)
        Assert.That(goal.Terminated, Is.True);
        Assert.That(goal.Reward, Is.EqualTo(100 * (1 - 0.99 * 10 / 50.0)).Within(1e-9));
    }

    [Test]
    public void DigAndExplorationRewardsFollowTheOptions()
    {
        var env = Make(DigLavaSkill.DigOrange, DigLavaSkill.TurnRight, exploration: 0.01, dig: 0.01);
        Assert.That(env.Step(Right).Reward, Is.EqualTo(0.01).Within(1e-12));     // new cell
        Assert.That(env.Step(Right).Reward, Is.EqualTo(0.01).Within(1e-12));     // new cell (lava)
        Assert.That(env.Step((int)DigLavaSkill.DigOrange).Reward, Is.EqualTo(0.01).Within(1e-12)); // dig
        // (4,5) is new (+0.01); the 0.03 of exploration since the start is handed back at the subgoal.
        Assert.That(env.Step(Right).Reward, Is.EqualTo(0.01 + 0.5 * (1 - 0.9 * 4 / 50.0) - 0.03).Within(1e-12));
    }

    [Test]
    public void TurnsAndForwardUseTheFacing()
    {
        var env = Make(DigLavaSkill.TurnRight, DigLavaSkill.MoveForward);
        Assert.That(env.Facing, Is.EqualTo(0));
        env.Step((int)DigLavaSkill.TurnLeft);
        Assert.That(env.Facing, Is.EqualTo(3));
        env.Step((int)DigLavaSkill.MoveForward);
        Assert.That(env.Agent, Is.EqualTo((1, 4)));
        env.Step((int)DigLavaSkill.TurnRight);
        env.Step((int)DigLavaSkill.TurnRight);
        Assert.That(env.Facing, Is.EqualTo(1));
        env.Step((int)DigLavaSkill.MoveLeft);                 // into the outer wall: stays, faces left
        Assert.That(env.Agent, Is.EqualTo((1, 4)));
        Assert.That(env.Facing, Is.EqualTo(2));
    }

    [Test]
    public void EachEpisodeOffersTheFiveBaseSkillsPlusTwoSpecials()
    {
        var env = new DigLavaGrid();
        var pairs = new HashSet<string>();
        for (ulong seed = 0; seed < 30; seed++)
        {
            env.Reset(seed: seed);
            Assert.That(env.Skills.AvailableCount, Is.EqualTo(7));
            for (int i = 0; i < 5; i++) Assert.That(env.Skills.Available[i], Is.True);
            pairs.Add(string.Join(",", Enumerable.Range(5, 4).Where(i => env.Skills.Available[i])));
        }
        Assert.That(pairs, Has.Count.EqualTo(6)); // all C(4,2) pairs occur
    }

    [Test]
    public void UnavailableSkillIsRejected()
    {
        var env = Make(DigLavaSkill.TurnRight, DigLavaSkill.MoveForward);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step((int)DigLavaSkill.DigOrange));
        Assert.That(ex!.Message, Does.Contain("not in the action space"));
    }

    [Test]
    public void RepresentationsFollowTableB1()
    {
        var env = new DigLavaGrid();
        float[] Row(DigLavaSkill s) => env.Skills.Representations.Slice((int)s * 11, 11).ToArray();
        Assert.That(Row(DigLavaSkill.MoveDown), Is.EqualTo(new float[] { 0, 0, 0, 0, 1, -1, 1, 0, 0, 0, 0 }));
        Assert.That(Row(DigLavaSkill.TurnRight), Is.EqualTo(new float[] { 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, -1 }));
        Assert.That(Row(DigLavaSkill.DigPink), Is.EqualTo(new float[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));
    }

    [Test]
    public void FiftyStepsTruncate()
    {
        var env = StandardEnvironments.CreateCatalog().Make("DigLavaGrid-v0");
        env.Reset(seed: 2);
        for (int t = 1; t < 50; t++) Assert.That(env.Step((int)DigLavaSkill.TurnLeft).Done, Is.False);
        var last = env.Step((int)DigLavaSkill.TurnLeft);
        Assert.That(last.Truncated, Is.True);
        Assert.That(last.Terminated, Is.False);
    }

    [Test]
    public void InvalidOptionsNameTheOption()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DigLavaGrid(new DigLavaGridOptions { SpecialSkills = [DigLavaSkill.MoveUp, DigLavaSkill.DigPink] }));
        Assert.That(ex!.ParamName, Is.EqualTo("SpecialSkills"));
    }
}
