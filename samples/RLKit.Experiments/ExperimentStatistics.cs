using RLKit.Tensors;

namespace RLKit.Experiments;

/// <summary>
/// The few statistics the experiment reports need to say how sure a comparison is: a Wilson score interval for a
/// success count, Fisher's exact test for two success counts, and a percentile-bootstrap interval for a mean.
/// </summary>
internal static class ExperimentStatistics
{
    /// <summary>The standard normal quantile for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The Wilson score interval for <paramref name="successes"/> out of <paramref name="trials"/> (Wilson 1927; Newcombe 1998).</summary>
    /// <exception cref="ArgumentOutOfRangeException">If trials &lt; 1 or successes is not in [0, trials].</exception>
    public static (double Lower, double Upper) WilsonInterval(int successes, int trials, double z = Z95)
    {
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, "WilsonInterval: trials must be at least 1.");
        if (successes < 0 || successes > trials)
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"WilsonInterval: successes must be in [0, {trials}].");
        double n = trials, p = successes / n, z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // At 0 or n successes the bound on that side is exactly 0 or 1; clamping removes rounding noise there.
        return (successes == 0 ? 0 : Math.Max(0, centre - half), successes == trials ? 1 : Math.Min(1, centre + half));
    }

    /// <summary>
    /// Two-sided Fisher exact test of the 2×2 table [[a, b], [c, d]] (rows: groups, columns: success, failure): the
    /// probability, under the hypergeometric law with the table's margins, of every table no more likely than the
    /// observed one (R's fisher.test convention, with its relative tolerance of 1e-7 for ties).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">If a count is negative.</exception>
    public static double FisherExactTwoSided(int a, int b, int c, int d)
    {
        foreach (var (count, name) in new[] { (a, nameof(a)), (b, nameof(b)), (c, nameof(c)), (d, nameof(d)) })
            if (count < 0) throw new ArgumentOutOfRangeException(name, count, "FisherExactTwoSided: counts must be non-negative.");
        int row1 = a + b, col1 = a + c, total = a + b + c + d;
        int min = Math.Max(0, col1 - (total - row1)), max = Math.Min(row1, col1);
        double observed = LogHypergeometric(a, row1, col1, total);
        double p = 0;
        for (int x = min; x <= max; x++)
        {
            double log = LogHypergeometric(x, row1, col1, total);
            if (log <= observed + 1e-7 * Math.Abs(observed) + 1e-12) p += Math.Exp(log);
        }
        return Math.Min(1, p);
    }

    /// <summary>
    /// The percentile-bootstrap 95% interval of the mean of <paramref name="values"/>: <paramref name="resamples"/>
    /// resamples with replacement drawn by a generator seeded with <paramref name="seed"/>, then the 2.5th and 97.5th
    /// percentiles of their means.
    /// </summary>
    /// <exception cref="ArgumentException">If values is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">If resamples &lt; 100.</exception>
    public static (double Lower, double Upper) BootstrapMeanInterval(IReadOnlyList<double> values, int resamples = 10_000, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException("BootstrapMeanInterval: values must not be empty.", nameof(values));
        if (resamples < 100) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "BootstrapMeanInterval: resamples must be at least 100.");
        var rng = new RandomGenerator(seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < values.Count; i++) sum += values[rng.NextInt(values.Count)];
            means[r] = sum / values.Count;
        }
        Array.Sort(means);
        return (Percentile(means, 0.025), Percentile(means, 0.975));
    }

    // Linear interpolation between the order statistics around q·(n − 1).
    private static double Percentile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    // log P(X = x) for X hypergeometric: x successes in a row of size `row`, with `column` successes among `total`.
    private static double LogHypergeometric(int x, int row, int column, int total) =>
        LogChoose(column, x) + LogChoose(total - column, row - x) - LogChoose(total, row);

    private static double LogChoose(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        double sum = 0;
        for (int i = 2; i <= n; i++) sum += Math.Log(i);
        return sum;
    }
}
