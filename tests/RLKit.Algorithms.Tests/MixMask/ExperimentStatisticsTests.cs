using RLKit.Experiments;

namespace RLKit.Algorithms.Tests.MixMask;

/// <summary>The statistics of the mixmask report (samples/RLKit.Experiments/ExperimentStatistics.cs) against published values.</summary>
public class ExperimentStatisticsTests
{
    // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3 (Wilson score):
    // 81/263 → 0.2553–0.3662, 15/148 → 0.0624–0.1605, 0/20 → 0–0.1611, 1/29 → 0.0061–0.1718. 8/10 → 0.4902–0.9433 is
    // the value statsmodels' proportion_confint(8, 10, method="wilson") and R's prop.test(8, 10, correct = FALSE) print.
    [TestCase(81, 263, 0.2553, 0.3662)]
    [TestCase(15, 148, 0.0624, 0.1605)]
    [TestCase(0, 20, 0.0, 0.1611)]
    [TestCase(1, 29, 0.0061, 0.1718)]
    [TestCase(8, 10, 0.4902, 0.9433)]
    public void WilsonIntervalMatchesPublishedValues(int successes, int trials, double lower, double upper)
    {
        var (l, u) = ExperimentStatistics.WilsonInterval(successes, trials);
        Assert.That(l, Is.EqualTo(lower).Within(5e-5));
        Assert.That(u, Is.EqualTo(upper).Within(5e-5));
    }

    [Test]
    public void WilsonIntervalOfAllSuccessesEndsAtOne()
    {
        var (lower, upper) = ExperimentStatistics.WilsonInterval(20, 20);
        Assert.That(upper, Is.EqualTo(1.0));
        Assert.That(lower, Is.EqualTo(1 - 0.1611).Within(5e-5), "the mirror image of 0/20");
    }

    [Test]
    public void WilsonIntervalRejectsImpossibleCountsNamingTheArgument()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => ExperimentStatistics.WilsonInterval(11, 10))!.ParamName, Is.EqualTo("successes"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => ExperimentStatistics.WilsonInterval(0, 0))!.ParamName, Is.EqualTo("trials"));
    }

    // Fisher's lady tasting tea, [[3, 1], [1, 3]]: two-sided p = 0.4857 (34/70). The dieting example of the Wikipedia
    // article "Fisher's exact test", [[1, 9], [11, 3]]: two-sided p = 0.002759 (R's fisher.test prints 0.002759).
    // [[0, 5], [5, 0]]: p = 2/252 = 0.007937. A table at its expected counts, [[2, 2], [2, 2]]: p = 1.
    [TestCase(3, 1, 1, 3, 0.4857)]
    [TestCase(1, 9, 11, 3, 0.002759)]
    [TestCase(0, 5, 5, 0, 0.007937)]
    [TestCase(2, 2, 2, 2, 1.0)]
    public void FisherExactTestMatchesPublishedValues(int a, int b, int c, int d, double p)
    {
        Assert.That(ExperimentStatistics.FisherExactTwoSided(a, b, c, d), Is.EqualTo(p).Within(5e-5 * Math.Max(p, 0.01)));
    }

    [Test]
    public void FisherExactTestIsSymmetricInRowsAndColumns()
    {
        double p = ExperimentStatistics.FisherExactTwoSided(1, 19, 7, 13);
        Assert.That(ExperimentStatistics.FisherExactTwoSided(7, 13, 1, 19), Is.EqualTo(p).Within(1e-12));
        Assert.That(ExperimentStatistics.FisherExactTwoSided(1, 7, 19, 13), Is.EqualTo(p).Within(1e-12));
    }

    [Test]
    public void BootstrapIntervalOfAConstantIsThatConstant()
    {
        var (lower, upper) = ExperimentStatistics.BootstrapMeanInterval([42.0, 42.0, 42.0, 42.0, 42.0]);
        Assert.That((lower, upper), Is.EqualTo((42.0, 42.0)));
    }

    [Test]
    public void BootstrapIntervalApproachesTheNormalIntervalForManyValues()
    {
        // 0..399: mean 199.5, population std 115.47; the mean's 95% interval is about ±1.96·115.47/√400 = ±11.32.
        var values = Enumerable.Range(0, 400).Select(i => (double)i).ToArray();
        var (lower, upper) = ExperimentStatistics.BootstrapMeanInterval(values, resamples: 20_000, seed: 3);
        Assert.That(lower, Is.EqualTo(199.5 - 11.32).Within(0.6));
        Assert.That(upper, Is.EqualTo(199.5 + 11.32).Within(0.6));
        Assert.That(ExperimentStatistics.BootstrapMeanInterval(values, resamples: 20_000, seed: 3), Is.EqualTo((lower, upper)), "seeded, so repeatable");
    }
}
