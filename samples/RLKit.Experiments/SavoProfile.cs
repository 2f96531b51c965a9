using System.Globalization;
using System.Text;

namespace RLKit.Experiments;

/// <summary>
/// Performance profiles across environments (seed 003 Fig. 4.7, App. G.1; Agarwal et al. 2021, "Deep RL at the edge
/// of the statistical precipice"). Each run's final return x on environment e is min-max normalised,
/// s = (x − Min_e) / (Max_e − Min_e), where Min_e is the mean first-evaluation return over every run on e of every
/// method in the comparison (the near-untrained agent, evaluated right after its first update: the thesis's "initial
/// performance of untrained agents aggregated across random seeds") and Max_e is the best method's mean final return on
/// e (the thesis's "final performance from Figure 4.8"); so s = 1 is the best method's average and single runs may
/// exceed it. A method's profile is F(τ) = (1/M) Σ_e (1/N_e) Σ_n 1[s_{e,n} &gt; τ], the fraction of its runs scoring
/// above τ with every environment weighted equally whatever its seed count. The band is the 95% percentile interval
/// of a stratified bootstrap (runs resampled with replacement within each environment and method, 2,000 times, fixed
/// seed). Only environments where every compared method has runs enter, so all profiles average the same tasks.
/// </summary>
internal static class SavoProfile
{
    private const int Resamples = 2000, GridPoints = 301;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The profile's inputs and results, for the chart, the CSV and the printed normalisation.</summary>
    internal sealed record Result(IReadOnlyList<string> Methods, IReadOnlyList<(string Env, double Min, double Max)> Normalisation,
                                  double[] Tau, double[][] Fraction, double[][] Low, double[][] High, IReadOnlyList<string> Skipped);

    /// <summary>
    /// The profile of <paramref name="methods"/> (those with runs) over the environments where all of them have runs,
    /// or null when fewer than one environment qualifies. <paramref name="normalisers"/> gives, per environment, the
    /// summaries whose runs set Min and Max (every method at the main k, so both profiles share one scale).
    /// </summary>
    public static Result? Compute(IReadOnlyList<(SavoEnvironment Env, IReadOnlyList<SavoReport.Summary> Summaries)> environments,
                                  IReadOnlyList<string> methods, Func<SavoEnvironment, IReadOnlyList<SavoReport.Summary>> normalisers)
    {
        var present = methods.Where(m => environments.Any(e => e.Summaries.Any(s => s.Method == m))).ToList();
        if (present.Count == 0) return null;
        var skipped = new List<string>();
        var used = new List<(string Env, double Min, double Max, double[][] Scores)>();
        foreach (var (env, summaries) in environments)
        {
            var missing = present.Where(m => summaries.All(s => s.Method != m)).ToList();
            if (missing.Count > 0)
            {
                skipped.Add($"{env.Name} (no runs of {string.Join(", ", missing)})");
                continue;
            }
            var all = normalisers(env);
            double min = all.SelectMany(s => s.Runs).Average(r => r.InitialReturn);
            double max = all.Max(s => ExperimentOutput.Mean(s.Final));
            if (!(max - min > 1e-9))
            {
                skipped.Add(string.Create(Invariant, $"{env.Name} (best mean final {max:0.##} not above the initial {min:0.##})"));
                continue;
            }
            var scores = present.Select(m => summaries.First(s => s.Method == m).Final.Select(x => (x - min) / (max - min)).ToArray()).ToArray();
            used.Add((env.Name, min, max, scores));
        }
        if (used.Count == 0) return new Result(present, [], [], [], [], [], skipped);

        double lowest = Math.Min(0, used.Min(u => u.Scores.Min(s => s.Min()))), highest = Math.Max(1, used.Max(u => u.Scores.Max(s => s.Max())));
        var tau = Enumerable.Range(0, GridPoints).Select(i => lowest + (highest - lowest) * i / (GridPoints - 1)).ToArray();
        var fraction = new double[present.Count][];
        var low = new double[present.Count][];
        var high = new double[present.Count][];
        var random = new Random(0);
        for (int m = 0; m < present.Count; m++)
        {
            var perEnv = used.Select(u => u.Scores[m]).ToArray();
            fraction[m] = Profile(perEnv, tau);
            var samples = new double[Resamples][];
            for (int b = 0; b < Resamples; b++)
                samples[b] = Profile(perEnv.Select(runs => Enumerable.Range(0, runs.Length).Select(_ => runs[random.Next(runs.Length)]).ToArray()).ToArray(), tau);
            low[m] = new double[tau.Length];
            high[m] = new double[tau.Length];
            var column = new double[Resamples];
            for (int t = 0; t < tau.Length; t++)
            {
                for (int b = 0; b < Resamples; b++) column[b] = samples[b][t];
                Array.Sort(column);
                low[m][t] = column[(int)(0.025 * (Resamples - 1))];
                high[m][t] = column[(int)Math.Ceiling(0.975 * (Resamples - 1))];
            }
        }
        return new Result(present, used.Select(u => (u.Env, u.Min, u.Max)).ToList(), tau, fraction, low, high, skipped);
    }

    /// <summary>F(τ) for every τ: per environment the fraction of runs above τ, averaged over environments.</summary>
    private static double[] Profile(double[][] scoresPerEnvironment, double[] tau)
    {
        var profile = new double[tau.Length];
        foreach (var runs in scoresPerEnvironment)
            for (int t = 0; t < tau.Length; t++)
                profile[t] += runs.Count(s => s > tau[t]) / (double)runs.Length / scoresPerEnvironment.Length;
        return profile;
    }

    /// <summary>The chart: one line per method with its bootstrap band.</summary>
    public static string Render(Result result, string title) => SavoSvg.Chart(
        result.Methods.Select((m, i) => new SavoSeries(m, result.Tau, result.Fraction[i], result.Low[i], result.High[i])).ToList(),
        title, "Normalised score τ (0 = initial agent, 1 = best method's mean final return)", "Fraction of runs with score > τ",
        xRange: (result.Tau[0], result.Tau[^1]), yRange: (0, 1.02), width: 900, height: 480);

    /// <summary>The profile as CSV: one row per method and τ.</summary>
    public static string Csv(Result result)
    {
        var csv = new StringBuilder("method,tau,fraction,low95,high95\n");
        for (int m = 0; m < result.Methods.Count; m++)
            for (int t = 0; t < result.Tau.Length; t++)
                csv.Append(string.Create(Invariant, $"{result.Methods[m]},{result.Tau[t]:0.####},{result.Fraction[m][t]:0.####},{result.Low[m][t]:0.####},{result.High[m][t]:0.####}\n"));
        return csv.ToString();
    }

    /// <summary>The normalisation and what was left out, for the printed report.</summary>
    public static void Print(TextWriter output, Result result, string name)
    {
        output.WriteLine($"Performance profile '{name}': methods {string.Join(", ", result.Methods)}; environments and their [Min, Max]: " +
                         (result.Normalisation.Count == 0 ? "none" : string.Join("; ", result.Normalisation.Select(n => string.Create(Invariant, $"{n.Env} [{n.Min:0.##}, {n.Max:0.##}]")))));
        if (result.Skipped.Count > 0) output.WriteLine($"  left out: {string.Join("; ", result.Skipped)}");
        if (result.Normalisation.Count == 0) return;
        // The area under the profile from τ = 0 is the mean of max(score, 0) (up to the τ range): a one-number summary beside the plot.
        for (int m = 0; m < result.Methods.Count; m++)
        {
            output.WriteLine(string.Create(Invariant, $"  {result.Methods[m],-18} area above τ = 0: {AreaFromZero(result, m):0.000}; F(0.5) = {At(result, m, 0.5):0.00}, F(0.9) = {At(result, m, 0.9):0.00}"));
        }
    }

    private static double AreaFromZero(Result result, int m)
    {
        double area = 0;
        for (int t = 1; t < result.Tau.Length; t++)
            if (result.Tau[t - 1] >= 0) area += (result.Tau[t] - result.Tau[t - 1]) * (result.Fraction[m][t] + result.Fraction[m][t - 1]) / 2;
        return area;
    }

    private static double At(Result result, int m, double tau)
    {
        int index = Array.FindIndex(result.Tau, t => t >= tau);
        return index < 0 ? 0 : result.Fraction[m][index];
    }
}
