using RLKit.Envs.Recommender;
using RLKit.Spaces;

namespace RLKit.Envs.Tests.Recommender;

public class RecSimSlateTests
{
    [Test]
    public void CandidatesAreTwentyDistinctSplitItemsMarkedAvailableAndFavourOneCategory()
    {
        using var env = new RecSimSlate();
        Assert.That(env.ActionSpace, Is.TypeOf<ActionList>());
        var list = (ActionList)env.ActionSpace;
        Assert.That(list.Length, Is.EqualTo(6));
        Assert.That(list.Items, Is.SameAs(env.CandidateSet));
        Assert.That(list.Items.Count, Is.EqualTo(500));
        Assert.That(list.Shape, Is.EqualTo(new[] { 6 }));
        env.Reset(seed: 1);
        var candidates = env.Candidates.ToArray();
        Assert.That(candidates, Has.Length.EqualTo(20));
        Assert.That(candidates, Is.Unique);
        Assert.That(candidates.All(i => env.Catalog.SplitOf(i) == ItemSplit.Train), Is.True);
        Assert.That(env.CandidateSet.AvailableCount, Is.EqualTo(20));
        Assert.That(candidates.All(i => env.CandidateSet.Available[i]), Is.True);
        Assert.That(candidates.Count(i => env.Catalog.Category(i) == env.CommonCategory), Is.EqualTo(10));

        env.Reset(options: new Dictionary<string, object> { ["split"] = ItemSplit.Test });
        Assert.That(env.Candidates.ToArray().All(i => env.Catalog.SplitOf(i) == ItemSplit.Test), Is.True);
    }

    [Test]
    public void CandidatesChangePerEpisodeButNotWithinOne()
    {
        using var env = new RecSimSlate();
        env.Reset(seed: 2);
        var first = env.Candidates.ToArray();
        env.Step(first.AsSpan(0, 6));
        Assert.That(env.Candidates.ToArray(), Is.EqualTo(first));
        env.Reset();
        Assert.That(env.Candidates.ToArray(), Is.Not.EqualTo(first));
        Assert.That(env.CandidateSet.AvailableCount, Is.EqualTo(20));
    }

    [Test]
    public void DuplicateItemsAreRejectedWithAClearError()
    {
        using var env = new RecSimSlate();
        env.Reset(seed: 3);
        var c = env.Candidates.ToArray();
        int[] slate = [c[0], c[1], c[2], c[3], c[1], c[5]];
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(slate));
        Assert.That(ex!.Message, Does.Contain($"id {c[1]} appears at positions 1 and 4").And.Contain("distinct"));
        Assert.That(ex.ParamName, Is.EqualTo("action"));
        Assert.DoesNotThrow(() => env.Step(c.AsSpan(0, 6)), "a rejected slate leaves the episode running");
    }

    [Test]
    public void NonCandidateOutOfRangeOrWrongLengthSlatesAreRejected()
    {
        using var env = new RecSimSlate();
        env.Reset(seed: 3);
        var c = env.Candidates.ToArray();
        int notCandidate = Enumerable.Range(0, 500).First(i => !c.Contains(i));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([c[0], c[1], c[2], c[3], c[4], notCandidate]));
        Assert.That(ex!.Message, Does.Contain($"id {notCandidate} at position 5 is not available"));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([c[0], c[1], c[2], c[3], 500, c[5]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([c[0], c[1], c[2], c[3], -1, c[5]]));
        Assert.Throws<ArgumentException>(() => env.Step(c.AsSpan(0, 5)));
        Assert.Throws<NotSupportedException>(() => env.Step(c[0]));
        var cpr = Assert.Throws<ArgumentOutOfRangeException>(() => env.SlateCpr([c[0], c[1], c[2], c[3], c[4], notCandidate]));
        Assert.That(cpr!.Message, Does.Contain($"item {notCandidate} at position 5 is not one of this episode's 20 candidates"));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.SlateCpr([c[0], c[1], c[2], c[3], c[0], c[5]]));
        Assert.Throws<ArgumentException>(() => env.SlateCpr(c.AsSpan(0, 7)));
    }

    [Test]
    public void PassesTheEnvironmentContractCheck()
    {
        using var env = new RLKit.Environments.Wrappers.TimeLimit(new RecSimSlate(), 15);
        Assert.DoesNotThrow(() => RLKit.Environments.CheckEnv.Check(env, seed: 0, steps: 50));
    }

    [Test]
    public void ChoiceProbabilitiesFollowTheCprBoostedSoftmaxAndSumToOne()
    {
        using var env = new RecSimSlate();
        var user = env.Reset(seed: 4).Observation.ToArray();
        var c = env.Candidates.ToArray();
        int[] slate = [c[3], c[7], c[1], c[12], c[19], c[0]];
        double cpr = env.SlateCpr(slate);
        env.Step(slate);
        var p = env.LastChoiceProbabilities.ToArray();
        Assert.That(p, Has.Length.EqualTo(7));
        Assert.That(p.Sum(), Is.EqualTo(1f).Within(1e-6f));
        Assert.That(env.LastCpr, Is.EqualTo(cpr));
        var scores = slate.Select(s => 0.3 * Dot(user, env.Catalog.Representation(s)) + 5.0 * cpr).ToArray();
        double denominator = scores.Sum(Math.Exp) + Math.Exp(4.0);
        for (int j = 0; j < 6; j++) Assert.That(p[j], Is.EqualTo(Math.Exp(scores[j]) / denominator).Within(1e-5));
        Assert.That(p[6], Is.EqualTo(Math.Exp(4.0) / denominator).Within(1e-5));
    }

    [Test]
    public void HighCprSlatesAreClickedMoreThanSingleCategorySlates()
    {
        using var env = new RecSimSlate();
        env.Reset(seed: 6);
        double coherentClicks = 0, sameCategoryClicks = 0, coherentCpr = 0;
        const int episodes = 20, steps = 15;
        for (int ep = 0; ep < episodes; ep++)
        {
            env.Reset();
            var coherent = CoherentSlate(env);
            coherentCpr += env.SlateCpr(coherent);
            for (int t = 0; t < steps; t++)
            {
                var r = env.Step(coherent);
                Assert.That(r.Reward, Is.EqualTo(r.Reward > 0 ? 1.0 : 0.0));
                Assert.That(r.Reward > 0, Is.EqualTo(env.LastClickedPosition >= 0));
                coherentClicks += r.Reward;
            }
            env.Reset();
            var same = CandidatesWhere(env, i => env.Catalog.Category(i) == env.CommonCategory).Take(6).ToArray();
            Assert.That(env.SlateCpr(same), Is.Zero);
            for (int t = 0; t < steps; t++) sameCategoryClicks += env.Step(same).Reward;
        }
        Assert.That(coherentCpr / episodes, Is.GreaterThan(1.5));
        Assert.That(coherentClicks / (episodes * steps), Is.GreaterThan(0.95));
        Assert.That(sameCategoryClicks / (episodes * steps), Is.InRange(0.02, 0.35));
    }

    [Test]
    public void SameSeedGivesTheSameEpisodes()
    {
        using var a = new RecSimSlate();
        using var b = new RecSimSlate();
        Assert.That(a.Reset(seed: 8).Observation.ToArray(), Is.EqualTo(b.Reset(seed: 8).Observation.ToArray()));
        Assert.That(a.Candidates.ToArray(), Is.EqualTo(b.Candidates.ToArray()));
        var list = (ActionList)a.ActionSpace;
        var rng = new RLKit.Tensors.RandomGenerator(8);
        var slate = new int[6];
        for (int t = 0; t < 15; t++)
        {
            list.Sample(rng, slate);
            double ra = a.Step(slate).Reward;
            var rb = b.Step(slate);
            Assert.That(rb.Reward, Is.EqualTo(ra));
            Assert.That(rb.Observation.ToArray(), Is.EqualTo(a.UserPreference.ToArray()));
        }
        a.Reset();
        b.Reset();
        Assert.That(a.Candidates.ToArray(), Is.EqualTo(b.Candidates.ToArray()));
        Assert.That(list.FlatSize, Is.EqualTo(6));
    }

    [Test]
    public void StepAllocatesNothingAfterWarmUp()
    {
        using var env = new RecSimSlate();
        env.Reset(seed: 1);
        int[] slate = env.Candidates[..6].ToArray();
        for (int t = 0; t < 30; t++) env.Step(slate);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 600; t++)
        {
            if (t % 15 == 0)
            {
                env.Reset();
                env.Candidates[..6].CopyTo(slate);
            }
            slate[0] = env.Candidates[t % 7 + 6];
            env.Step(slate);
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void CatalogIdTruncatesAfterFifteenSteps()
    {
        using var env = StandardEnvironments.CreateCatalog().Make("RecSim-Slate-v0");
        env.Reset(seed: 1);
        var list = (ActionList)env.ActionSpace;
        var rng = new RLKit.Tensors.RandomGenerator(1);
        var slate = new int[6];
        for (int t = 1; t <= 15; t++)
        {
            list.Sample(rng, slate);
            var r = env.Step(slate);
            Assert.That(r.Terminated, Is.False);
            Assert.That(r.Truncated, Is.EqualTo(t == 15));
        }
        Assert.Throws<InvalidOperationException>(() => env.Step(slate));
    }

    [Test]
    public void InvalidOptionsNameTheOptionAndRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RecSimSlate(new RecSimSlateOptions { CandidateCount = 300 }));
        Assert.That(ex!.ParamName, Is.EqualTo("CandidateCount"));
        Assert.That(ex.Message, Does.Contain("[6, 250]"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecSimSlate(new RecSimSlateOptions { SlateSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecSimSlate(new RecSimSlateOptions { Split = (ItemSplit)5 }));
    }

    /// <summary>Five candidates of the common category (both sub-categories when possible) plus one from elsewhere.</summary>
    private static int[] CoherentSlate(RecSimSlate env)
    {
        var common = CandidatesWhere(env, i => env.Catalog.Category(i) == env.CommonCategory).ToArray();
        var sub0 = common.Where(i => env.Catalog.SubCategory(i) == 0).ToArray();
        var sub1 = common.Where(i => env.Catalog.SubCategory(i) == 1).ToArray();
        var five = sub0.Take(3).Concat(sub1.Take(2)).Concat(common).Distinct().Take(5);
        var other = CandidatesWhere(env, i => env.Catalog.Category(i) != env.CommonCategory).First();
        return five.Append(other).ToArray();
    }

    private static IEnumerable<int> CandidatesWhere(RecSimSlate env, Func<int, bool> predicate) =>
        env.Candidates.ToArray().Where(predicate);

    private static double Dot(float[] a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
