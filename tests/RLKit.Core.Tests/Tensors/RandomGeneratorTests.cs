using RLKit.Tensors;

namespace RLKit.Core.Tests.Tensors;

public class RandomGeneratorTests
{
    [Test]
    public void StreamMatchesAnIndependentXoshiro256StarStarReference()
    {
        // Computed with an independent Python implementation of SplitMix64 seeding + xoshiro256**.
        var rng = new RandomGenerator(42UL);
        Assert.That(new[] { rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64() },
            Is.EqualTo(new[] { 0x15780b2e0c2ec716UL, 0x6104d9866d113a7eUL, 0xae17533239e499a1UL, 0xecb8ad4703b360a1UL }));
        var zero = new RandomGenerator(0UL);
        Assert.That(new[] { zero.NextUInt64(), zero.NextUInt64() }, Is.EqualTo(new[] { 0x99ec5f36cb75f2b4UL, 0xbf6e1f784956452aUL }));
    }

    [Test]
    public void DrawsHaveTheRightRangeAndMoments()
    {
        var rng = new RandomGenerator(7);
        const int n = 200_000;
        double sum = 0, sumSq = 0, gumbelSum = 0;
        for (int i = 0; i < n; i++)
        {
            double z = rng.NextNormal();
            sum += z;
            sumSq += z * z;
            gumbelSum += rng.NextGumbel();
            float u = rng.NextSingle();
            Assert.That(u, Is.GreaterThanOrEqualTo(0f).And.LessThan(1f));
        }
        Assert.That(sum / n, Is.EqualTo(0).Within(0.01));
        Assert.That(sumSq / n, Is.EqualTo(1).Within(0.02));
        Assert.That(gumbelSum / n, Is.EqualTo(0.5772156649).Within(0.01), "the Gumbel mean is the Euler–Mascheroni constant");
    }

    [Test]
    public void NextIntIsUnbiasedAndCategoricalFollowsWeights()
    {
        var rng = new RandomGenerator(11);
        var counts = new int[3];
        var categorical = new int[3];
        for (int i = 0; i < 90_000; i++)
        {
            counts[rng.NextInt(3)]++;
            categorical[rng.Categorical([1f, 0f, 3f])]++;
        }
        Assert.That(counts, Has.All.InRange(29_000, 31_000));
        Assert.That(categorical[1], Is.Zero, "a zero weight is never drawn");
        Assert.That(categorical[2] / (double)categorical[0], Is.EqualTo(3.0).Within(0.1));
    }

    [Test]
    public void BadArgumentsAreNamed()
    {
        var rng = new RandomGenerator(1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
        Assert.That(ex!.ParamName, Is.EqualTo("maxExclusive"));
        var ex2 = Assert.Throws<ArgumentException>(() => rng.Categorical([1f, -1f]));
        Assert.That(ex2!.Message, Does.Contain("weights[1]"));
    }
}
