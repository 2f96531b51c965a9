using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Core.Tests.Spaces;

[TestFixture]
public sealed class ActionSplitTests
{
    [TestCase(1024, 2, 1, 1, 512, 256, 256)]
    [TestCase(1025, 2, 1, 1, 512, 256, 257)]
    [TestCase(1027, 2, 1, 1, 513, 257, 257)]
    [TestCase(10, 1, 1, 1, 3, 3, 4)]
    [TestCase(10, 3, 0, 1, 7, 0, 3)]
    [TestCase(2, 2, 1, 1, 1, 0, 1)]
    [TestCase(5, 0, 0, 1, 0, 0, 5)]
    public void PartSizesFollowCumulativeFlooring(int count, int train, int validation, int test, int trainSize, int validationSize, int testSize)
    {
        var split = ActionSplit.Random(count, seed: 1, train, validation, test);
        Assert.That((split.Train.Length, split.Validation.Length, split.Test.Length), Is.EqualTo((trainSize, validationSize, testSize)));
        // Each size is its exact share rounded down or up.
        double total = train + validation + test;
        Assert.That(Math.Abs(trainSize - count * train / total), Is.LessThan(1));
        Assert.That(Math.Abs(validationSize - count * validation / total), Is.LessThan(1));
        Assert.That(Math.Abs(testSize - count * test / total), Is.LessThan(1));
    }

    [Test]
    public void PartsAreSortedDisjointAndCoverEveryId()
    {
        foreach (int count in new[] { 1, 3, 97, 1024 })
        {
            var (train, validation, test) = ActionSplit.Random(count, seed: 5);
            int[] all = [.. train, .. validation, .. test];
            Assert.That(all.Order(), Is.EqualTo(Enumerable.Range(0, count)), $"count {count}");
            Assert.That(train, Is.Ordered);
            Assert.That(validation, Is.Ordered);
            Assert.That(test, Is.Ordered);
        }
    }

    [Test]
    public void TheSplitIsAFisherYatesShuffleFixedByTheSeed()
    {
        var ids = Enumerable.Range(0, 1024).ToArray();
        new RandomGenerator(2020UL).Shuffle(ids.AsSpan());
        var (train, validation, test) = ActionSplit.Random(1024, 2020);
        Assert.That(train, Is.EqualTo(ids[..512].Order()));
        Assert.That(validation, Is.EqualTo(ids[512..768].Order()));
        Assert.That(test, Is.EqualTo(ids[768..].Order()));

        var again = ActionSplit.Random(1024, 2020);
        Assert.That((again.Train, again.Validation, again.Test), Is.EqualTo((train, validation, test)));
        Assert.That(ActionSplit.Random(1024, 2021).Train, Is.Not.EqualTo(train));
        // The draw is random, not a block of ids: both halves of the universe land in every part.
        Assert.That(train.Count(i => i < 512), Is.InRange(200, 312));
        Assert.That(test.Count(i => i < 512), Is.InRange(90, 166));
    }

    [Test]
    public void BadArgumentsGetClearErrors()
    {
        Assert.That(() => ActionSplit.Random(0, 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("count"));
        Assert.That(() => ActionSplit.Random(10, 1, trainParts: -1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("trainParts"));
        Assert.That(() => ActionSplit.Random(10, 1, validationParts: -2), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("validationParts"));
        Assert.That(() => ActionSplit.Random(10, 1, testParts: -1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("testParts"));
        Assert.That(() => ActionSplit.Random(10, 1, 0, 0, 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("sum to 0"));
    }
}
