using RLKit.Environments;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Envs.Tests.Contract;

/// <summary>The <see cref="ActionList"/> space: membership, sampling, and how <see cref="EnvironmentBase"/> rejects lists.</summary>
public class ActionListTests
{
    private static ActionList ListOf(int count, int length, params int[] unavailable)
    {
        var items = new ActionSet(count, 1, Enumerable.Range(0, count).Select(i => (float)i).ToArray());
        foreach (int id in unavailable) items.Available[id] = false;
        return new ActionList(items, length);
    }

    [Test]
    public void ContainsOnlyListsOfTheRightLengthOfDistinctAvailableIds()
    {
        var list = ListOf(5, 3, unavailable: [2]);
        Assert.Multiple(() =>
        {
            Assert.That(list.Contains([4, 0, 1]), Is.True);
            Assert.That(list.Contains([0, 1, 3]), Is.True);
            Assert.That(list.Contains([0, 2, 3]), Is.False, "2 is unavailable");
            Assert.That(list.Contains([0, 1, 0]), Is.False, "0 repeated");
            Assert.That(list.Contains([1, 1, 3]), Is.False, "1 repeated");
            Assert.That(list.Contains([0, 1, 5]), Is.False, "5 is outside the universe");
            Assert.That(list.Contains([-1, 1, 3]), Is.False, "−1 is outside the universe");
            Assert.That(list.Contains([0, 1]), Is.False, "too short");
            Assert.That(list.Contains([0, 1, 3, 4]), Is.False, "too long");
            Assert.That(list.Shape, Is.EqualTo(new[] { 3 }));
            Assert.That(list.FlatSize, Is.EqualTo(3));
            Assert.That(list.Description, Is.EqualTo("ActionList(3 of 4/5 available, representation 1)"));
        });
    }

    [Test]
    public void SamplesDistinctAvailableIdsCoveringEveryAvailableIdAndEveryOrder()
    {
        var list = ListOf(6, 3, unavailable: [1, 4]);
        var rng = new RandomGenerator(7);
        var ids = new int[3];
        var seenIds = new HashSet<int>();
        var seenFirst = new HashSet<int>();
        for (int n = 0; n < 2000; n++)
        {
            list.Sample(rng, ids);
            Assert.That(list.Contains(ids), Is.True, $"sample [{string.Join(", ", ids)}]");
            seenIds.UnionWith(ids);
            seenFirst.Add(ids[0]);
        }
        Assert.That(seenIds, Is.EquivalentTo(new[] { 0, 2, 3, 5 }));
        // Lists are ordered: every available id must be able to come first, not only the smallest.
        Assert.That(seenFirst, Is.EquivalentTo(new[] { 0, 2, 3, 5 }));
    }

    [Test]
    public void SamplesUniformlyOverOrderedLists()
    {
        // 4 available ids, lists of 2: 12 ordered lists, each with probability 1/12.
        var list = ListOf(4, 2);
        var rng = new RandomGenerator(11);
        var counts = new Dictionary<(int, int), int>();
        var ids = new int[2];
        const int draws = 24_000;
        for (int n = 0; n < draws; n++)
        {
            list.Sample(rng, ids);
            counts[(ids[0], ids[1])] = counts.GetValueOrDefault((ids[0], ids[1])) + 1;
        }
        Assert.That(counts, Has.Count.EqualTo(12));
        // Binomial(24000, 1/12): sd ≈ 43; 5 sd either side of 2000.
        Assert.That(counts.Values, Is.All.InRange(1785, 2215));
    }

    [Test]
    public void SamplingAndConstructionErrorsNameTheProblem()
    {
        var list = ListOf(5, 3, unavailable: [0, 1, 2]);
        var rng = new RandomGenerator(1);
        var tooFew = Assert.Throws<InvalidOperationException>(() => list.Sample(rng, new int[3]));
        Assert.That(tooFew!.Message, Does.Contain("3 distinct actions").And.Contain("only 2 are available"));
        var wrongSize = Assert.Throws<ArgumentException>(() => ListOf(5, 3).Sample(rng, new int[2]));
        Assert.That(wrongSize!.ParamName, Is.EqualTo("destination"));
        Assert.That(wrongSize.Message, Does.Contain("3 ids"));

        var items = new ActionSet(4, 1, new float[4]);
        var tooLong = Assert.Throws<ArgumentOutOfRangeException>(() => new ActionList(items, 5));
        Assert.That(tooLong!.ParamName, Is.EqualTo("length"));
        Assert.That(tooLong.Message, Does.Contain("[1, 4]"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActionList(items, 0));
        Assert.Throws<ArgumentNullException>(() => new ActionList(null!, 1));
    }

    [Test]
    public void EnvironmentBaseNamesTheUnavailableRepeatedOrOutOfRangeId()
    {
        using var env = new RotatingActionListEnv();
        var observation = env.Reset(seed: 3).Observation;
        int unavailable = (int)observation[0];
        int a = (unavailable + 1) % 5, b = (unavailable + 2) % 5;

        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([a, unavailable]));
        Assert.That(missing!.ParamName, Is.EqualTo("action"));
        Assert.That(missing.Message, Does.Contain($"id {unavailable} at position 1 is not available").And.Contain("RotatingActionList-v0"));

        var repeated = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([a, a]));
        Assert.That(repeated!.Message, Does.Contain($"id {a} appears at positions 0 and 1").And.Contain("distinct"));

        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([7, a]));
        Assert.That(outside!.Message, Does.Contain("id 7 at position 0 is outside [0, 4]"));

        var length = Assert.Throws<ArgumentException>(() => env.Step([a]));
        Assert.That(length, Is.Not.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(length!.Message, Does.Contain("2 distinct ids, got 1"));

        var kind = Assert.Throws<NotSupportedException>(() => env.Step(a));
        Assert.That(kind!.Message, Does.Contain("ActionList"));
        Assert.Throws<NotSupportedException>(() => env.Step([0.5f, 1f]));

        Assert.That(env.Lists, Is.Empty, "rejected lists never reach StepCore");
        var step = env.Step([a, b]);
        Assert.That(step.Reward, Is.EqualTo(10 * a + b));
        Assert.That(env.Lists.Single(), Is.EqualTo(new[] { a, b }));
    }

    [Test]
    public void WrappersForwardActionListsAndTheirSpace()
    {
        var inner = new RotatingActionListEnv();
        using var env = new RLKit.Environments.Wrappers.EpisodeStatistics(new RLKit.Environments.Wrappers.TimeLimit(inner, 5));
        Assert.That(env.ActionSpace, Is.SameAs(inner.ActionSpace));
        int unavailable = (int)env.Reset(seed: 1).Observation[0];
        int a = (unavailable + 3) % 5, b = (unavailable + 4) % 5;
        Assert.That(env.Step([a, b]).Reward, Is.EqualTo(10 * a + b));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step([a, unavailable]));
    }
}
