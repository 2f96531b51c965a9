using RLKit.Environments.Wrappers;
using RLKit.Envs.Grid;

namespace RLKit.Envs.Tests.Grid;

public class SkillGridTests
{
    private const int R = 0, D = 1, L = 2, U = 3;

    private static int Skill(params int[] moves) => SkillGrid.EncodeSkill(moves);

    /// <summary>A grid with a vertical river at x = 4 open at (4, 7), offering <paramref name="skills"/> this episode.</summary>
    private static SkillGrid Fixed(params int[] skills)
    {
        var env = new SkillGrid(new SkillGridOptions { Lava = new SkillGridLava(Horizontal: false, Index: 4, Gap: 7) });
        env.Reset(seed: 3);
        foreach (int s in skills) env.Skills.Available[s] = true;
        return env;
    }

    [Test]
    public void ThereAre1024DistinctSkillsWithOneHotRepresentations()
    {
        var env = new SkillGrid();
        Assert.That(env.Skills.Count, Is.EqualTo(1024));
        Assert.That(env.Skills.RepresentationSize, Is.EqualTo(20));
        var rows = new HashSet<string>();
        Span<int> moves = stackalloc int[5];
        for (int s = 0; s < 1024; s++)
        {
            var row = env.Skills.Representations.Slice(s * 20, 20).ToArray();
            rows.Add(string.Join(",", row));
            Assert.That(row.Sum(), Is.EqualTo(5f));
            SkillGrid.DecodeSkill(s, moves);
            Assert.That(SkillGrid.EncodeSkill(moves), Is.EqualTo(s));
            for (int i = 0; i < 5; i++) Assert.That(row[i * 4 + moves[i]], Is.EqualTo(1f));
        }
        Assert.That(rows, Has.Count.EqualTo(1024));
    }

    [Test]
    public void SplitIs512_256_256_DisjointAndFixedBySeed()
    {
        var (train, validation, test) = SkillGrid.SplitSkills(2020);
        Assert.That((train.Length, validation.Length, test.Length), Is.EqualTo((512, 256, 256)));
        Assert.That(train.Concat(validation).Concat(test).Distinct().Count(), Is.EqualTo(1024));
        var again = SkillGrid.SplitSkills(2020);
        Assert.That(again.Train, Is.EqualTo(train));
        Assert.That(again.Test, Is.EqualTo(test));
        Assert.That(SkillGrid.SplitSkills(7).Train, Is.Not.EqualTo(train));
        Assert.That(new SkillGrid().TrainSkills, Is.EqualTo(train));
    }

    [TestCase(SkillSplit.Train)]
    [TestCase(SkillSplit.Validation)]
    [TestCase(SkillSplit.Test)]
    public void SubsamplingOffersOnlyActionsFromTheSplit(SkillSplit split)
    {
        var env = new SkillGrid(new SkillGridOptions { Split = split });
        var allowed = (split switch { SkillSplit.Train => env.TrainSkills, SkillSplit.Validation => env.ValidationSkills, _ => env.TestSkills }).ToHashSet();
        var seen = new HashSet<string>();
        for (ulong seed = 0; seed < 5; seed++)
        {
            env.Reset(seed: seed);
            Assert.That(env.Skills.AvailableCount, Is.EqualTo(50));
            var offered = Enumerable.Range(0, 1024).Where(i => env.Skills.Available[i]).ToList();
            Assert.That(offered, Is.SubsetOf(allowed));
            seen.Add(string.Join(",", offered));
        }
        Assert.That(seen, Has.Count.GreaterThan(1));
        var whole = new SkillGrid(new SkillGridOptions { Split = split, ActionsPerEpisode = 1024 });
        whole.Reset(seed: 0);
        Assert.That(whole.Skills.AvailableCount, Is.EqualTo(allowed.Count));
    }

    [Test]
    public void UnavailableSkillIsRejectedWithAClearError()
    {
        var env = new SkillGrid();
        env.Reset(seed: 1);
        int missing = Enumerable.Range(0, 1024).First(i => !env.Skills.Available[i]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(missing));
        Assert.That(ex!.Message, Does.Contain("SkillGrid-v0").And.Contain(missing.ToString()));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(1024));
    }

    [Test]
    public void SubgoalPaysOnceAndGoalPaysByMoveCount()
    {
        int down5 = Skill(D, D, D, D, D), toGap = Skill(D, R, R, R, R), backAndForth = Skill(L, R, L, R, R), right5 = Skill(R, R, R, R, R);
        var env = Fixed(down5, toGap, backAndForth, right5);
        Assert.That(env.Step(down5).Reward, Is.EqualTo(0));
        Assert.That(env.Agent, Is.EqualTo((1, 6)));
        var crossing = env.Step(toGap);           // (1,7) (2,7) (3,7) (4,7)=gap (5,7)
        Assert.That(crossing.Reward, Is.EqualTo(0.1).Within(1e-12));
        Assert.That(env.Step(backAndForth).Reward, Is.EqualTo(0)); // revisits the gap: no second bonus
        Assert.That(env.Agent, Is.EqualTo((6, 7)));
        var goal = env.Step(right5);               // goal at the 16th move; the rest of the skill is skipped
        Assert.That(goal.Terminated, Is.True);
        Assert.That(goal.Reward, Is.EqualTo(1 - 0.9 * 16 / 50.0).Within(1e-12));
        Assert.That(env.Moves, Is.EqualTo(16));
        Assert.That(env.Agent, Is.EqualTo(SkillGrid.Goal));
    }

    [Test]
    public void LavaEndsTheEpisodeWithZero()
    {
        int down5 = Skill(D, D, D, D, D), right5 = Skill(R, R, R, R, R);
        var env = Fixed(down5, right5);
        env.Step(down5);
        var step = env.Step(right5);               // (2,6) (3,6) (4,6)=lava
        Assert.That(step.Terminated, Is.True);
        Assert.That(step.Reward, Is.EqualTo(0));
        Assert.That(env.Agent, Is.EqualTo((4, 6)));
    }

    [Test]
    public void WallBumpsStayInPlaceButCountAsMoves()
    {
        int up5 = Skill(U, U, L, U, U);
        var env = Fixed(up5);
        var step = env.Step(up5);
        Assert.That(env.Agent, Is.EqualTo((1, 1)));
        Assert.That(env.Moves, Is.EqualTo(5));
        Assert.That(step.Terminated, Is.False);
        Assert.That(step.Observation[1 * 9 + 1], Is.EqualTo((float)SkillGrid.AgentId));
        Assert.That(step.Observation[7 * 9 + 4], Is.EqualTo((float)SkillGrid.SubgoalId));
        Assert.That(step.Observation[0], Is.EqualTo((float)SkillGrid.WallId));
    }

    [Test]
    public void TenSkillsTruncateThroughTheCatalog()
    {
        var env = (TimeLimit)StandardEnvironments.CreateCatalog().Make("SkillGrid-v0");
        Assert.That(env.MaxEpisodeSteps, Is.EqualTo(10));
    }

    [Test]
    public void SameSeedGivesTheSameLayoutAndSkills()
    {
        var a = new SkillGrid();
        var b = new SkillGrid();
        a.Reset(seed: 9);
        b.Reset(seed: 9);
        Assert.That(a.Lava, Is.EqualTo(b.Lava));
        Assert.That(a.Skills.Available.ToArray(), Is.EqualTo(b.Skills.Available.ToArray()));
        Assert.That(a.Render(), Is.EqualTo(b.Render()));
        var layouts = new HashSet<SkillGridLava>();
        for (int i = 0; i < 20; i++) { a.Reset(); layouts.Add(a.Lava); }
        Assert.That(layouts, Has.Count.GreaterThan(1));
        Assert.That(a.Render(), Does.Contain("A").And.Contain("G").And.Contain("~").And.Contain("o"));
    }

    [Test]
    public void ActionObservationsTraceTheSkillOnAnEmptyGrid()
    {
        int right5 = Skill(R, R, R, R, R), mixed = Skill(D, L, U, U, R);
        var obs = SkillGrid.ActionObservations([right5, mixed], trajectoriesPerSkill: 4, seed: 5, gridSize: 80);
        Assert.That(obs.ShapeArray(), Is.EqualTo(new[] { 2, 4, 6, 2 }));
        var data = obs.ToArray();
        float cell = 1f / 79;
        for (int k = 0; k < 4; k++)
        {
            int o = k * 12;
            for (int t = 1; t < 6; t++)
            {
                float dx = data[o + t * 2] - data[o + (t - 1) * 2];
                Assert.That(dx, Is.EqualTo(cell).Within(1e-6).Or.EqualTo(0f)); // 0 only at the right edge
                Assert.That(data[o + t * 2 + 1], Is.EqualTo(data[o + 1]));
            }
        }
        Assert.That(SkillGrid.ActionObservations([right5, mixed], 4, seed: 5).ToArray(), Is.EqualTo(data));
        Assert.That(data.All(v => v is >= 0 and <= 1), Is.True);
    }
}
