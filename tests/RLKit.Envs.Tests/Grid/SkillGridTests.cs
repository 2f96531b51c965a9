using RLKit.Environments.Wrappers;
using RLKit.Envs.Grid;
using RLKit.Spaces;

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
        Assert.That((obs.ActionCount, obs.ObservationCount(0), obs.ObservationCount(1), obs.Steps, obs.Features), Is.EqualTo((2, 4, 4, 6, 2)));
        float cell = 1f / 79;
        for (int k = 0; k < 4; k++)
        {
            var trajectory = obs.Observation(0, k);
            for (int t = 1; t < 6; t++)
            {
                float dx = trajectory[t * 2] - trajectory[(t - 1) * 2];
                Assert.That(dx, Is.EqualTo(cell).Within(1e-6).Or.EqualTo(0f)); // 0 only at the right edge
                Assert.That(trajectory[t * 2 + 1], Is.EqualTo(trajectory[1]));
            }
        }
        var data = obs.Data.ToArray();
        Assert.That(SkillGrid.ActionObservations([right5, mixed], 4, seed: 5).Data.ToArray(), Is.EqualTo(data));
        Assert.That(data.All(v => v is >= 0 and <= 1), Is.True);
    }

    /// <summary>The numbers of the Tensor-returning version this replaced: its loop, kept here as the reference.</summary>
    private static float[] ReferenceObservations(int[] skills, int trajectories, ulong seed, int gridSize)
    {
        var data = new List<float>();
        var rng = new RLKit.Tensors.RandomGenerator(seed);
        float scale = 1f / (gridSize - 1);
        var moves = new int[5];
        foreach (int skill in skills)
        {
            SkillGrid.DecodeSkill(skill, moves);
            for (int k = 0; k < trajectories; k++)
            {
                int x = rng.NextInt(gridSize), y = rng.NextInt(gridSize);
                data.Add(x * scale); data.Add(y * scale);
                foreach (int m in moves)
                {
                    int nx = x + m switch { R => 1, L => -1, _ => 0 }, ny = y + m switch { D => 1, U => -1, _ => 0 };
                    if (nx >= 0 && nx < gridSize && ny >= 0 && ny < gridSize) (x, y) = (nx, ny);
                    data.Add(x * scale); data.Add(y * scale);
                }
            }
        }
        return [.. data];
    }

    [Test]
    public void ActionObservationsKeepTheNumbersOfTheTensorVersion()
    {
        int[] some = [5, 1023, 0, 512, 77];
        Assert.That(SkillGrid.ActionObservations(some, 3, seed: 9, gridSize: 12).Data.ToArray(), Is.EqualTo(ReferenceObservations(some, 3, 9, 12)));
        var all = SkillGrid.ActionObservations(trajectoriesPerSkill: 2, seed: 11, gridSize: 80);
        Assert.That(all.ActionCount, Is.EqualTo(1024));
        Assert.That(all.TotalObservations, Is.EqualTo(2048));
        Assert.That(all.Data.ToArray(), Is.EqualTo(ReferenceObservations([.. Enumerable.Range(0, 1024)], 2, 11, 80)));
        // Action i of the all-skill set is skill i (skill 0 comes first, so its starts are the stream's first draws).
        Assert.That(all.Observations(0).ToArray(), Is.EqualTo(SkillGrid.ActionObservations([0], 2, seed: 11).Data.ToArray()));
    }

    [Test]
    public void AllSkillObservationsAreCachedByTheirArguments()
    {
        var a = SkillGrid.ActionObservations(trajectoriesPerSkill: 3, seed: 21);
        var again = SkillGrid.ActionObservations(trajectoriesPerSkill: 3, seed: 21, gridSize: 80);
        Assert.That(again, Is.SameAs(a));
        var otherSeed = SkillGrid.ActionObservations(trajectoriesPerSkill: 3, seed: 22);
        var otherGrid = SkillGrid.ActionObservations(trajectoriesPerSkill: 3, seed: 21, gridSize: 40);
        var otherCount = SkillGrid.ActionObservations(trajectoriesPerSkill: 4, seed: 21);
        Assert.That(new[] { otherSeed, otherGrid, otherCount }, Has.None.SameAs(a));
        Assert.That(otherSeed.Data.ToArray(), Is.Not.EqualTo(a.Data.ToArray()));
        Assert.That(otherGrid.Data.ToArray(), Is.Not.EqualTo(a.Data.ToArray()));
        Assert.That(otherCount.ObservationCount(0), Is.EqualTo(4));

        // Concurrent callers get equal sets, and once cached, the same one.
        var parallel = new RLKit.Data.ActionObservationSet[8];
        Parallel.For(0, parallel.Length, i => parallel[i] = SkillGrid.ActionObservations(trajectoriesPerSkill: 5, seed: 23));
        Assert.That(parallel.Select(p => p.Data.ToArray()), Is.All.EqualTo(parallel[0].Data.ToArray()));
        var cached = SkillGrid.ActionObservations(trajectoriesPerSkill: 5, seed: 23);
        Assert.That(SkillGrid.ActionObservations(trajectoriesPerSkill: 5, seed: 23), Is.SameAs(cached));

        // The cache is bounded: after Capacity other arguments the first entry is gone, and recomputed with the same numbers.
        for (ulong seed = 100; seed < 100 + SkillGrid.ObservationCacheCapacity; seed++) SkillGrid.ActionObservations(1, seed);
        var recomputed = SkillGrid.ActionObservations(trajectoriesPerSkill: 3, seed: 21);
        Assert.That(recomputed, Is.Not.SameAs(a));
        Assert.That(recomputed.Data.ToArray(), Is.EqualTo(a.Data.ToArray()));
    }

    [Test]
    public void ActionObservationsRejectBadArguments()
    {
        Assert.That(() => SkillGrid.ActionObservations([], 2, seed: 0), Throws.ArgumentException.With.Property("ParamName").EqualTo("skills"));
        Assert.That(() => SkillGrid.ActionObservations([1024], 2, seed: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("skill"));
        Assert.That(() => SkillGrid.ActionObservations(0, seed: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("trajectoriesPerSkill"));
        Assert.That(() => SkillGrid.ActionObservations(2, seed: 0, gridSize: 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("gridSize"));
    }

    [Test]
    public void DisplacementIsTheSkillsNetMove()
    {
        Assert.That(SkillGrid.Displacement(Skill(R, R, R, R, R)), Is.EqualTo((5, 0)));
        Assert.That(SkillGrid.Displacement(Skill(U, U, U, U, U)), Is.EqualTo((0, -5)));
        Assert.That(SkillGrid.Displacement(Skill(D, L, U, U, R)), Is.EqualTo((0, -1)));
        Assert.That(SkillGrid.Displacement(Skill(R, D, D, L, D)), Is.EqualTo((0, 3)));
        Assert.That(SkillGrid.Displacement(Skill(R, D, R, D, L)), Is.EqualTo((1, 2)));
        // A trajectory that starts at least 5 cells from every edge meets no edge, so it ends displaced by exactly that much.
        const int gridSize = 1001;
        var far = SkillGrid.ActionObservations([.. Enumerable.Range(0, 1024)], 3, seed: 1, gridSize);
        for (int s = 0; s < 1024; s++)
        {
            var (dx, dy) = SkillGrid.Displacement(s);
            Assert.That(Math.Max(Math.Abs(dx), Math.Abs(dy)), Is.LessThanOrEqualTo(5));
            int k = Enumerable.Range(0, 3).First(k =>
            {
                var start = far.Observation(s, k);
                return start[0] * (gridSize - 1) is >= 5 and <= gridSize - 6 && start[1] * (gridSize - 1) is >= 5 and <= gridSize - 6;
            });
            var t = far.Observation(s, k);
            Assert.That(Math.Round((t[10] - t[0]) * (gridSize - 1)), Is.EqualTo(dx), $"skill {s}");
            Assert.That(Math.Round((t[11] - t[1]) * (gridSize - 1)), Is.EqualTo(dy), $"skill {s}");
        }
        Assert.That(() => SkillGrid.Displacement(-1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void SplitSkillsIsTheGenericActionSplit()
    {
        foreach (ulong seed in new ulong[] { 0, 7, 2020, ulong.MaxValue })
        {
            var expected = ActionSplit.Random(1024, seed);
            var actual = SkillGrid.SplitSkills(seed);
            Assert.That(actual.Train, Is.EqualTo(expected.Train));
            Assert.That(actual.Validation, Is.EqualTo(expected.Validation));
            Assert.That(actual.Test, Is.EqualTo(expected.Test));
        }
    }

    /// <summary>The split the grid shipped with (a Fisher–Yates shuffle, 512/256/256), pinned bit for bit.</summary>
    [Test]
    public void SplitSkillsKeepsTheShippedSplit()
    {
        var ids = Enumerable.Range(0, 1024).ToArray();
        new RLKit.Tensors.RandomGenerator(2020UL).Shuffle(ids.AsSpan());
        var (train, validation, test) = SkillGrid.SplitSkills(2020);
        Assert.That(train, Is.EqualTo(ids[..512].Order()));
        Assert.That(validation, Is.EqualTo(ids[512..768].Order()));
        Assert.That(test, Is.EqualTo(ids[768..].Order()));
    }

    [Test]
    public void SubsamplingWrapperOverTheGridOffersOnlyPoolSkills()
    {
        var grid = new SkillGrid();
        using var env = new ActionSubsampling(grid, grid.ValidationSkills, actionsPerEpisode: 50);
        var pool = grid.ValidationSkills.ToHashSet();
        env.Reset(seed: 4);
        for (int episode = 0; episode < 5; episode++)
        {
            var offered = Enumerable.Range(0, 1024).Where(a => grid.Skills.Available[a]).ToArray();
            Assert.That(offered, Has.Length.EqualTo(50));
            Assert.That(offered.All(pool.Contains), Is.True);
            Assert.That(() => env.Step(grid.TrainSkills[episode]), Throws.InstanceOf<ArgumentOutOfRangeException>());
            env.Step(offered[0]);
            env.Reset();
        }
    }
}
