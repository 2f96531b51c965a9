using System.Diagnostics;
using RLKit.Environments;
using RLKit.Envs.Recommender;

namespace RLKit.Envs.Tests.Recommender;

public class RecSimSingleItemTests
{
    [Test]
    public void AvailableActionsAreTheTrainSplitByDefaultAndTheTestSplitOnRequest()
    {
        using var env = new RecSimSingleItem();
        env.Reset(seed: 1);
        Assert.That(env.Items.Count, Is.EqualTo(10_000));
        Assert.That(env.Items.RepresentationSize, Is.EqualTo(30));
        Assert.That(env.Items.AvailableCount, Is.EqualTo(5_000));
        int train = env.Catalog.ItemsIn(ItemSplit.Train)[0];
        int test = env.Catalog.ItemsIn(ItemSplit.Test)[0];
        Assert.That(env.Items.Available[train] && !env.Items.Available[test], Is.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(test));

        env.Reset(options: new Dictionary<string, object> { ["split"] = "test" });
        Assert.That(env.CurrentSplit, Is.EqualTo(ItemSplit.Test));
        Assert.That(env.Items.Available[test] && !env.Items.Available[train], Is.True);
        Assert.DoesNotThrow(() => env.Step(test));
        Assert.Throws<ArgumentException>(() => env.Reset(options: new Dictionary<string, object> { ["split"] = "validation" }));
    }

    [Test]
    public void ObservationIsTheUserPreferenceAndTheClickProbabilityFollowsTheSoftmax()
    {
        using var env = new RecSimSingleItem();
        var observation = env.Reset(seed: 2).Observation.ToArray();
        Assert.That(observation, Has.Length.EqualTo(30));
        Assert.That(observation, Is.All.InRange(-1f, 1f));
        int item = env.Catalog.ItemsIn(ItemSplit.Train)[7];
        var e = env.Catalog.Representation(item).ToArray();
        double affinity = observation.Zip(e, (u, x) => (double)u * x).Sum();
        double expected = 1 / (1 + Math.Exp(4.0 - 4.0 * affinity));
        env.Step(item);
        Assert.That(env.LastClickProbability, Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void RewardStatisticsAreSaneOverASeededRollout()
    {
        using var env = new RecSimSingleItem(new RecSimSingleItemOptions { ItemCount = 2_000 });
        var rng = new RLKit.Tensors.RandomGenerator(5);
        var train = env.Catalog.ItemsIn(ItemSplit.Train).ToArray();
        double randomClicks = 0, greedyClicks = 0;
        const int episodes = 20, steps = 20;
        env.Reset(seed: 5);
        for (int ep = 0; ep < episodes; ep++)
        {
            env.Reset();
            for (int t = 0; t < steps; t++)
            {
                var r = env.Step(env.Items.Sample(rng));
                Assert.That(r.Reward, Is.EqualTo(0.0).Or.EqualTo(1.0));
                randomClicks += r.Reward;
            }
            env.Reset();
            for (int t = 0; t < steps; t++)
                greedyClicks += env.Step(train.MaxBy(env.ClickProbability)).Reward;
        }
        double randomRate = randomClicks / (episodes * steps), greedyRate = greedyClicks / (episodes * steps);
        Assert.That(randomRate, Is.InRange(0.0, 0.2), "a random item is rarely clicked");
        TestContext.Out.WriteLine($"random {randomRate}, greedy {greedyRate}");
        Assert.That(greedyRate, Is.GreaterThan(0.6), "the best-matching item is usually clicked");
    }

    [Test]
    public void SameSeedGivesTheSameEpisode()
    {
        using var a = new RecSimSingleItem(new RecSimSingleItemOptions { ItemCount = 1_000 });
        using var b = new RecSimSingleItem(new RecSimSingleItemOptions { ItemCount = 1_000 });
        Assert.That(a.Reset(seed: 9).Observation.ToArray(), Is.EqualTo(b.Reset(seed: 9).Observation.ToArray()));
        var train = a.Catalog.ItemsIn(ItemSplit.Train).ToArray();
        for (int t = 0; t < 50; t++)
        {
            int item = train[(t * 37) % train.Length];
            var ra = a.Step(item);
            var oa = ra.Observation.ToArray();
            double rewardA = ra.Reward;
            var rb = b.Step(item);
            Assert.That(rb.Reward, Is.EqualTo(rewardA));
            Assert.That(rb.Observation.ToArray(), Is.EqualTo(oa));
        }
        Assert.That(a.Reset().Observation.ToArray(), Is.EqualTo(b.Reset().Observation.ToArray()));
        Assert.That(a.Reset(seed: 10).Observation.ToArray(), Is.Not.EqualTo(b.Reset(seed: 9).Observation.ToArray()));
    }

    [Test]
    public void HundredThousandItemCatalogueConstructsQuicklyAndStepsWithoutAllocating()
    {
        var watch = Stopwatch.StartNew();
        using var env = new RecSimSingleItem(new RecSimSingleItemOptions { ItemCount = 100_000 });
        watch.Stop();
        Assert.That(watch.Elapsed.TotalSeconds, Is.LessThan(2.0));
        Assert.That(env.Items.Representations.Length, Is.EqualTo(100_000 * 30));

        var train = env.Catalog.ItemsIn(ItemSplit.Train).ToArray();
        env.Reset(seed: 3);
        for (int t = 0; t < 100; t++) env.Step(train[t]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 1_000; t++)
        {
            if (t % 20 == 0) env.Reset();
            env.Step(train[(t * 7919) % train.Length]);
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void InvalidOptionsNameTheOptionAndRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RecSimSingleItem(new RecSimSingleItemOptions { ItemCount = 1 }));
        Assert.That(ex!.ParamName, Is.EqualTo("ItemCount"));
        Assert.That(ex.Message, Does.Contain("[2, 1000000]"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecSimSingleItem(new RecSimSingleItemOptions { NoClickMass = float.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecSimSingleItem(new RecSimSingleItemOptions { PreferenceUpdateRate = 1.5f }));
    }

    [Test]
    public void CatalogIdPassesCheckEnvAndTruncatesAtTwentySteps()
    {
        var catalog = StandardEnvironments.CreateCatalog();
        using var env = catalog.Make("RecSim-SingleItem-v0", new RecSimSingleItemOptions { ItemCount = 1_000 });
        CheckEnv.Check(env, seed: 0, steps: 50);
        env.Reset(seed: 1);
        var set = (RLKit.Spaces.ActionSet)env.ActionSpace;
        var rng = new RLKit.Tensors.RandomGenerator(1);
        for (int t = 1; t <= 20; t++)
        {
            var r = env.Step(set.Sample(rng));
            Assert.That(r.Terminated, Is.False);
            Assert.That(r.Truncated, Is.EqualTo(t == 20));
        }
    }
}
