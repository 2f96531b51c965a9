using RLKit.Envs.Recommender;

namespace RLKit.Envs.Tests.Recommender;

public class SlateMetricsTests
{
    private static double H(params double[] p) => -p.Sum(x => x * Math.Log(x));

    [Test]
    public void SixDistinctCategoriesScoreOne()
    {
        double cpr = SlateMetrics.Cpr([0, 1, 2, 3, 4, 5], [0, 1, 0, 1, 0, 1]);
        Assert.That(cpr, Is.EqualTo(1.0).Within(1e-12));
    }

    [Test]
    public void OneCategorySplitAcrossItsSubCategoriesIsDefinedAsZero()
    {
        // Category entropy 0, sub-category entropy ln 2: x/0, which RLKit defines as 0.
        Assert.That(SlateMetrics.Cpr([3, 3, 3, 3, 3, 3], [0, 0, 0, 1, 1, 1]), Is.EqualTo(0.0));
    }

    [Test]
    public void SingleItemIsZero()
    {
        Assert.That(SlateMetrics.Cpr([7], [1]), Is.EqualTo(0.0));
    }

    [Test]
    public void FivePlusOneWithMixedSubCategoriesMatchesHandComputation()
    {
        // Categories 5/1 → H(5/6, 1/6); (category, sub) labels 3/2/1 → H(1/2, 1/3, 1/6).
        double expected = H(0.5, 1.0 / 3, 1.0 / 6) / H(5.0 / 6, 1.0 / 6);
        double cpr = SlateMetrics.Cpr([0, 0, 0, 0, 0, 1], [0, 0, 0, 1, 1, 0]);
        Assert.That(cpr, Is.EqualTo(expected).Within(1e-12));
        Assert.That(cpr, Is.EqualTo(2.2448).Within(1e-4));
    }

    [Test]
    public void SubCategoriesAreCountedPerCategory()
    {
        // (0,0), (0,1), (1,0), (1,1) are four labels: ln 4 / ln 2 = 2. Global sub-categories would give 1.
        Assert.That(SlateMetrics.Cpr([0, 0, 1, 1], [0, 1, 0, 1]), Is.EqualTo(2.0).Within(1e-12));
    }

    [Test]
    public void OrderDoesNotMatter()
    {
        double a = SlateMetrics.Cpr([0, 0, 1, 0, 2, 0], [1, 0, 0, 1, 1, 0]);
        double b = SlateMetrics.Cpr([2, 0, 0, 1, 0, 0], [1, 0, 1, 0, 0, 1]);
        Assert.That(a, Is.EqualTo(b).Within(1e-12));
    }

    [Test]
    public void EmptyOrMismatchedSlatesThrow()
    {
        Assert.Throws<ArgumentException>(() => SlateMetrics.Cpr([], []));
        var ex = Assert.Throws<ArgumentException>(() => SlateMetrics.Cpr([0, 1], [0]));
        Assert.That(ex!.ParamName, Is.EqualTo("subCategories"));
    }
}
