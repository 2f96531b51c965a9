using RLKit.Envs.Recommender;
using RLKit.Spaces;

namespace RLKit.Envs.Tests.Recommender;

public class RecSimSlateTests
{
    [Test]
    public void CandidatesAreTwentyDistinctSplitItemsMarkedAvailableAndFavourOneCategory()
    {
        using var env = new RecSimSlate();
        Assert.That(env.ActionSpace, Is.TypeOf<MultiDiscrete>());
        Assert.That(((MultiDiscrete)env.ActionSpace).Nvec.ToArray(), Is.EqualTo(Enumerable.Repeat(20, 6)));
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
        env.Step([0, 1, 2, 3, 4, 5]);
        Assert.That(env.Candidates.ToArray(), Is.EqualTo(first));
        env.Reset();
        Assert.That(env.Candidates.ToArray(), Is.Not.EqualTo(first));
        Assert.That(env.CandidateSet.AvailableCount, Is.EqualTo(20));
    }

    [Test]
    public void DuplicateSlotsAreRejectedWithAClearError()
    {
        using var env = new RecSimSlate();
        env.Reset(seed: 3);
        var ex = Assert.Throws<ArgumentException>(() => env.Step([0, 1, 2, 3, 1, 5]));
        Assert.That(ex!.Message, Does.Contain("candidate 1 at positions 1 and 4").And.Contain("distinct"));
        Assert.That(ex.ParamName, Is.EqualTo("action"));
        Assert.DoesNotThrow(() => env.Step([0, 1, 2, 3, 4, 5]), "a rejected slate leaves the episode running");
    }

    [Test]
    public void OutOfRangeOrWrongLengthSlatesAreRejected()
    {
        using var env = new RecSimSlate();
        env.Reset(seed: 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([0, 1, 2, 3, 4, 20]));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([0, 1, 2, 3, -1, 5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([0, 1, 2, 3, 4]));
        Assert.Throws<NotSupportedException>(() => env.Step(0));
    }

    [Test]
    public void ChoiceProbabilitiesFollowTheCprBoostedSoftmaxAndSumToOne()
    {
        using var env = new RecSimSlate();
        var user = env.Reset(seed: 4).Observation.ToArray();
        int[] slate = [3, 7, 1, 12, 19, 0];
        double cpr = env.SlateCpr(slate);
        env.Step(slate);
        var p = env.LastChoiceProbabilities.ToArray();
        Assert.That(p, Has.Length.EqualTo(7));
        Assert.That(p.Sum(), Is.EqualTo(1f).Within(1e-6f));
        Assert.That(env.LastCpr, Is.EqualTo(cpr));
        var scores = slate.Select(s => 0.3 * Dot(user, env.Catalog.Representation(env.Candidates[s])) + 5.0 * cpr).ToArray();
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
            var same = SlotsOf(env, i => env.Catalog.Category(i) == env.CommonCategory).Take(6).ToArray();
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
        var md = (MultiDiscrete)a.ActionSpace;
        var rng = new RLKit.Tensors.RandomGenerator(8);
        var slate = new int[6];
        for (int t = 0; t < 15; t++)
        {
            DistinctSlate(rng, slate);
            double ra = a.Step(slate).Reward;
            var rb = b.Step(slate);
            Assert.That(rb.Reward, Is.EqualTo(ra));
            Assert.That(rb.Observation.ToArray(), Is.EqualTo(a.UserPreference.ToArray()));
        }
        a.Reset();
        b.Reset();
        Assert.That(a.Candidates.ToArray(), Is.EqualTo(b.Candidates.ToArray()));
        Assert.That(md.FlatSize, Is.EqualTo(6));
    }

    [Test]
    public void StepAllocatesNothingAfterWarmUp()
    {
        using var env = new RecSimSlate();
        env.Reset(seed: 1);
        int[] slate = [0, 1, 2, 3, 4, 5];
        for (int t = 0; t < 30; t++) env.Step(slate);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 600; t++)
        {
            if (t % 15 == 0) env.Reset();
            slate[0] = t % 7 + 6;
            env.Step(slate);
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void CatalogIdTruncatesAfterFifteenSteps()
    {
        using var env = StandardEnvironments.CreateCatalog().Make("RecSim-Slate-v0");
        env.Reset(seed: 1);
        for (int t = 1; t <= 15; t++)
        {
            var r = env.Step([5, 4, 3, 2, 1, 0]);
            Assert.That(r.Terminated, Is.False);
            Assert.That(r.Truncated, Is.EqualTo(t == 15));
        }
        Assert.Throws<InvalidOperationException>(() => env.Step([5, 4, 3, 2, 1, 0]));
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
        var common = SlotsOf(env, i => env.Catalog.Category(i) == env.CommonCategory).ToArray();
        var sub0 = common.Where(s => env.Catalog.SubCategory(env.Candidates[s]) == 0).ToArray();
        var sub1 = common.Where(s => env.Catalog.SubCategory(env.Candidates[s]) == 1).ToArray();
        var five = sub0.Take(3).Concat(sub1.Take(2)).Concat(common).Distinct().Take(5);
        var other = SlotsOf(env, i => env.Catalog.Category(i) != env.CommonCategory).First();
        return five.Append(other).ToArray();
    }

    private static IEnumerable<int> SlotsOf(RecSimSlate env, Func<int, bool> predicate)
    {
        var candidates = env.Candidates.ToArray();
        return Enumerable.Range(0, candidates.Length).Where(s => predicate(candidates[s]));
    }

    private static void DistinctSlate(RLKit.Tensors.RandomGenerator rng, int[] slate)
    {
        var slots = Enumerable.Range(0, 20).ToArray();
        rng.Shuffle(slots.AsSpan());
        slots.AsSpan(0, slate.Length).CopyTo(slate);
    }

    private static double Dot(float[] a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
