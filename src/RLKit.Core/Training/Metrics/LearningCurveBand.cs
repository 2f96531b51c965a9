namespace RLKit.Training.Metrics;

/// <summary>
/// A learning curve resampled onto a common step grid: at each grid step, the mean and the population
/// standard deviation (divide by the number of seeds, like NumPy's default) of the seeds' linearly
/// interpolated values.
/// </summary>
/// <remarks>
/// The grid spans only the steps every seed covers (latest first step to earliest last step), so no
/// value is ever extrapolated; a seed that stopped early therefore shortens the band.
/// </remarks>
internal sealed class LearningCurveBand
{
    private LearningCurveBand(double[] steps, double[] mean, double[] std)
    {
        Steps = steps;
        Mean = mean;
        StandardDeviation = std;
    }

    internal double[] Steps { get; }

    internal double[] Mean { get; }

    internal double[] StandardDeviation { get; }

    /// <summary>Resamples <paramref name="curve"/> onto at most <paramref name="maxGridPoints"/> steps and reduces across seeds.</summary>
    /// <exception cref="ArgumentException">If the seeds share no common step range.</exception>
    internal static LearningCurveBand From(LearningCurve curve, int maxGridPoints)
    {
        long first = curve.Seeds.Max(s => s[0].Step);
        long last = curve.Seeds.Min(s => s[^1].Step);
        if (first > last)
            throw new ArgumentException($"LearningCurve '{curve.Name}': the seeds cover no common step range (latest first step {first} > earliest last step {last}).");

        var steps = Grid(curve, first, last, maxGridPoints);
        var mean = new double[steps.Length];
        var std = new double[steps.Length];
        var values = new double[curve.Seeds.Count];
        for (int i = 0; i < steps.Length; i++)
        {
            for (int seed = 0; seed < values.Length; seed++)
                values[seed] = Interpolate(curve.Seeds[seed], steps[i]);
            double m = values.Average();
            double variance = 0;
            foreach (double v in values)
                variance += (v - m) * (v - m);
            mean[i] = m;
            std[i] = Math.Sqrt(variance / values.Length);
        }
        return new LearningCurveBand(steps, mean, std);
    }

    private static double[] Grid(LearningCurve curve, long first, long last, int maxGridPoints)
    {
        var logged = new SortedSet<long>();
        foreach (var series in curve.Seeds)
            foreach (var point in series)
                if (point.Step >= first && point.Step <= last)
                    logged.Add(point.Step);
        if (logged.Count <= maxGridPoints)
            return [.. logged.Select(s => (double)s)];

        var grid = new double[maxGridPoints];
        for (int i = 0; i < grid.Length; i++)
            grid[i] = first + (last - first) * (double)i / (grid.Length - 1);
        return grid;
    }

    /// <summary>Linear interpolation of <paramref name="series"/> at <paramref name="step"/>, which lies within its step range.</summary>
    internal static double Interpolate(IReadOnlyList<CurvePoint> series, double step)
    {
        int lo = 0, hi = series.Count - 1;
        if (step <= series[lo].Step)
            return series[lo].Value;
        if (step >= series[hi].Step)
            return series[hi].Value;
        while (hi - lo > 1)
        {
            int mid = (lo + hi) >>> 1;
            if (series[mid].Step <= step)
                lo = mid;
            else
                hi = mid;
        }
        var a = series[lo];
        var b = series[hi];
        double t = (step - a.Step) / (b.Step - a.Step);
        return a.Value + t * (b.Value - a.Value);
    }
}
