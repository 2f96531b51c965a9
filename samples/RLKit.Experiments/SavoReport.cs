using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RLKit.Training.Metrics;

namespace RLKit.Experiments;

/// <summary>One evaluation of a run: at how many environment steps, the mean and std of the greedy episode returns.</summary>
internal sealed record SavoPoint(long Steps, double Return, double ReturnStd);

/// <summary>
/// One finished run (environment × method × k × seed): its protocol, timing, the method's options and its
/// evaluations. Stored as result.json (written last: a run is finished once it exists) beside curve.csv.
/// </summary>
internal sealed record SavoRun
{
    [JsonPropertyName("env")] public required string Environment { get; init; }
    [JsonPropertyName("method")] public required string Method { get; init; }
    /// <summary>The candidates the method proposes (1 for td3, cem and greedy, which ignore --k).</summary>
    [JsonPropertyName("k")] public required int K { get; init; }
    [JsonPropertyName("seed")] public required ulong Seed { get; init; }
    [JsonPropertyName("budget_steps")] public required long BudgetSteps { get; init; }
    [JsonPropertyName("env_steps")] public required long EnvironmentSteps { get; init; }
    [JsonPropertyName("learning_starts")] public required int LearningStarts { get; init; }
    [JsonPropertyName("eval_every")] public required long EvaluateEvery { get; init; }
    [JsonPropertyName("eval_episodes")] public required int EvaluationEpisodes { get; init; }
    [JsonPropertyName("seconds")] public required double Seconds { get; init; }
    [JsonPropertyName("eval_seconds")] public required double EvaluationSeconds { get; init; }
    [JsonPropertyName("options")] public required string Options { get; init; }
    /// <summary>The first evaluation, right after the first update (the near-untrained agent the profile's Min uses).</summary>
    [JsonPropertyName("initial_return")] public double InitialReturn => Evaluations[0].Return;
    [JsonPropertyName("final_return")] public double FinalReturn => Evaluations[^1].Return;
    /// <summary>The evaluations, from curve.csv (not in the JSON).</summary>
    [JsonIgnore] public IReadOnlyList<SavoPoint> Evaluations { get; init; } = [];

    /// <summary>Microseconds of training (evaluation excluded) per environment step.</summary>
    public double MicrosecondsPerStep => (Seconds - EvaluationSeconds) / Math.Max(1, EnvironmentSteps) * 1e6;
}

/// <summary>
/// The savo command's files and the savo-report outputs. Per run directory &lt;out&gt;/&lt;env&gt;/&lt;method&gt;/k&lt;k&gt;/seed&lt;s&gt;:
/// curve.csv (one row per evaluation, rewritten after each), result.json and, for SAVO on a one-dimensional action,
/// agent.rlkit (the Q-landscape's model). Per report: the tables and RESULT lines, savo-runs.csv (one row per run),
/// savo-summary.csv (one row per env, method and k), per environment the learning curves at the main k, the
/// performance profiles across environments, the k sweep and the Q-landscape.
/// </summary>
internal static class SavoReport
{
    public const string CurveFile = "curve.csv";
    public const string ModelFile = "agent.rlkit";
    private const string CurveHeader = "env_steps,return,return_std";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Json = ExperimentOutput.ResultJson;

    /// <summary>Writes curve.csv (every evaluation so far), atomically.</summary>
    public static void WriteCurve(string runDirectory, IReadOnlyList<SavoPoint> points)
    {
        var text = new StringBuilder(CurveHeader).Append('\n');
        foreach (var p in points) text.Append(string.Create(Invariant, $"{p.Steps},{p.Return:R},{p.ReturnStd:R}\n"));
        ExperimentOutput.WriteAtomically(Path.Combine(runDirectory, CurveFile), text.ToString());
    }

    /// <summary>Writes a finished run: curve.csv, then result.json.</summary>
    public static void WriteRun(string runDirectory, SavoRun run)
    {
        WriteCurve(runDirectory, run.Evaluations);
        ExperimentOutput.WriteResult(runDirectory, run, Json);
    }

    /// <summary>Every finished run under <paramref name="directory"/>/&lt;env&gt;, in path order.</summary>
    /// <exception cref="InvalidDataException">If a result.json or curve.csv cannot be read.</exception>
    public static List<SavoRun> ReadRuns(string directory, SavoEnvironment env) =>
        ExperimentOutput.FinishedRunDirectories(Path.Combine(directory, env.Name)).Select(ReadRun).Where(r => r.Environment == env.Name).ToList();

    /// <summary>The finished run in <paramref name="runDirectory"/>.</summary>
    /// <exception cref="InvalidDataException">If either file cannot be read or the curve is empty.</exception>
    public static SavoRun ReadRun(string runDirectory)
    {
        var run = ExperimentOutput.ReadResult<SavoRun>(runDirectory, Json);
        string curve = Path.Combine(runDirectory, CurveFile);
        var points = ExperimentOutput.ReadCsv(curve, CurveHeader)
            .Select(c => new SavoPoint(long.Parse(c[0], Invariant), double.Parse(c[1], Invariant), double.Parse(c[2], Invariant)))
            .ToList();
        if (points.Count == 0) throw new InvalidDataException($"{curve}: no evaluation.");
        return run with { Evaluations = points };
    }

    /// <summary>One row of the tables: the runs of one method at one k and one budget.</summary>
    internal sealed record Summary(string Method, int K, long Steps, IReadOnlyList<SavoRun> Runs)
    {
        public double[] Final => Runs.Select(r => r.FinalReturn).ToArray();
        public double[] Auc => Runs.Select(r => r.Evaluations.Average(e => e.Return)).ToArray();
    }

    /// <summary>The summaries of <paramref name="runs"/> in <paramref name="methods"/>' order, then by k and budget.</summary>
    public static List<Summary> Summarise(IReadOnlyList<SavoRun> runs, IReadOnlyList<string> methods) =>
        runs.GroupBy(r => (r.Method, r.K, r.BudgetSteps))
            .OrderBy(g => Order(methods, g.Key.Method)).ThenBy(g => g.Key.K).ThenBy(g => g.Key.BudgetSteps)
            .Select(g => new Summary(g.Key.Method, g.Key.K, g.Key.BudgetSteps, g.OrderBy(r => r.Seed).ToList()))
            .ToList();

    private static int Order(IReadOnlyList<string> methods, string method)
    {
        int index = methods.IndexOf(method);
        return index < 0 ? int.MaxValue : index;
    }

    private static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }

    /// <summary>The table and one RESULT line per method, k and budget of one environment.</summary>
    public static void Print(TextWriter output, SavoEnvironment env, IReadOnlyList<Summary> summaries)
    {
        if (summaries.Count == 0)
        {
            output.WriteLine($"savo: no finished {env.Name} runs to report.");
            return;
        }
        var first = summaries[0].Runs[0];
        output.WriteLine($"SAVO (seed 003 ch. 4) on {env.Description}.");
        output.WriteLine(string.Create(Invariant,
            $"Evaluation: {first.EvaluationEpisodes} greedy episodes every {first.EvaluateEvery} env steps (first right after the first update) and at the end; final = the last evaluation; auc = mean over all evaluations. Mean ± std over seeds (population std)."));
        output.WriteLine();
        var rows = summaries.Select(s => (IReadOnlyList<string>)
        [
            s.Method, s.K.ToString(Invariant), s.Runs.Count.ToString(Invariant), s.Steps.ToString(Invariant),
            PlusMinus(s.Final), PlusMinus(s.Auc),
            s.Runs.Average(r => r.MicrosecondsPerStep).ToString("0", Invariant), (s.Runs.Average(r => r.Seconds) / 60).ToString("0.0", Invariant),
        ]).ToList();
        ExperimentOutput.WriteTable(output, ["method", "k", "seeds", "budget (steps)", "final return", "auc return", "µs/step", "min/run"], rows);
        output.WriteLine();
        foreach (var s in summaries)
            output.WriteLine(string.Create(Invariant,
                $"RESULT exp=savo env={env.Name} method={s.Method} k={s.K} seeds={s.Runs.Count} steps={s.Steps} return={ExperimentOutput.MeanStd(s.Final, "0.0")}"));
    }

    private static string PlusMinus(IReadOnlyList<double> values) =>
        ExperimentOutput.Mean(values).ToString("0.0", Invariant) + " ± " + ExperimentOutput.Std(values).ToString("0.0", Invariant);

    /// <summary>The per-run CSV (every run of every environment reported).</summary>
    public static void WriteRunsCsv(string directory, IReadOnlyList<SavoRun> runs)
    {
        var csv = new StringBuilder("env,method,k,seed,budget_steps,env_steps,learning_starts,eval_every,eval_episodes,initial_return,final_return,auc_return,seconds,eval_seconds,us_per_step,options\n");
        foreach (var r in runs)
            csv.Append(string.Create(Invariant,
                $"{r.Environment},{r.Method},{r.K},{r.Seed},{r.BudgetSteps},{r.EnvironmentSteps},{r.LearningStarts},{r.EvaluateEvery},{r.EvaluationEpisodes},{r.InitialReturn:0.####},{r.FinalReturn:0.####},{r.Evaluations.Average(e => e.Return):0.####},{r.Seconds:0.#},{r.EvaluationSeconds:0.#},{r.MicrosecondsPerStep:0},\"{r.Options.Replace('"', '\'')}\"\n"));
        ExperimentOutput.WriteAtomically(Path.Combine(directory, "savo-runs.csv"), csv.ToString());
    }

    /// <summary>The summary CSV: one row per environment, method, k and budget.</summary>
    public static void WriteSummaryCsv(string directory, IReadOnlyList<(SavoEnvironment Env, Summary Summary)> rows)
    {
        var csv = new StringBuilder("env,method,k,seeds,budget_steps,final_mean,final_std,auc_mean,auc_std,us_per_step,minutes_per_run\n");
        foreach (var (env, s) in rows)
            csv.Append(string.Create(Invariant,
                $"{env.Name},{s.Method},{s.K},{s.Runs.Count},{s.Steps},{ExperimentOutput.Mean(s.Final):0.####},{ExperimentOutput.Std(s.Final):0.####},{ExperimentOutput.Mean(s.Auc):0.####},{ExperimentOutput.Std(s.Auc):0.####},{s.Runs.Average(r => r.MicrosecondsPerStep):0},{s.Runs.Average(r => r.Seconds) / 60:0.##}\n"));
        ExperimentOutput.WriteAtomically(Path.Combine(directory, "savo-summary.csv"), csv.ToString());
    }

    /// <summary>
    /// savo-&lt;env&gt;-return.svg: the learning curves (mean ± std over seeds) of every method at the main k (td3, cem and
    /// greedy at their k = 1), at the largest budget found; "" when no method has two evaluations.
    /// </summary>
    public static string LearningCurves(SavoEnvironment env, IReadOnlyList<Summary> atMainK, int k)
    {
        var curves = atMainK
            .Select(s => new LearningCurve(s.K == 1 && !SavoMethods.UsesK(s.Method) ? s.Method : $"{s.Method} (k={s.K})",
                s.Runs.Select(r => (IReadOnlyList<CurvePoint>)r.Evaluations.Select(e => new CurvePoint(e.Steps, e.Return)).ToArray()).Where(c => c.Count >= 2)))
            .Where(c => c.Seeds.Count > 0)
            .ToList();
        if (curves.Count == 0) return "";
        long budget = atMainK.Max(s => s.Steps);
        int seeds = atMainK.Max(s => s.Runs.Count);
        return LearningCurveSvg.Render(curves, new LearningCurveSvgOptions
        {
            Title = string.Create(Invariant, $"{env.Title}: greedy return, k = {k}, {Thousands(budget)} env steps, mean ± std over ≤ {seeds} seeds"),
            XAxisLabel = "Environment steps",
            YAxisLabel = "Mean evaluation return",
            Width = 960,
            Height = 540,
        });
    }

    /// <summary>
    /// The k sweep (Fig. 4.11 left): SAVO's final return per k (mean ± std over seeds) on each environment with runs at
    /// two or more k, and TD3's (k = 1 actor) as a reference line; "" when no environment has two k.
    /// </summary>
    public static string KSweep(IReadOnlyList<(SavoEnvironment Env, IReadOnlyList<Summary> Summaries)> environments)
    {
        var charts = new List<string>();
        foreach (var (env, summaries) in environments)
        {
            long budget = summaries.Where(s => s.Method == "savo").Select(s => s.Steps).DefaultIfEmpty().Max();
            var savo = summaries.Where(s => s.Method == "savo" && s.Steps == budget).OrderBy(s => s.K).ToList();
            if (savo.Count < 2) continue;
            var series = new List<SavoSeries>
            {
                Sweep($"savo (≤ {savo.Max(s => s.Runs.Count)} seeds per k)", savo),
            };
            if (summaries.FirstOrDefault(s => s.Method == "td3" && s.Steps == budget) is { } td3)
            {
                double mean = ExperimentOutput.Mean(td3.Final);
                series.Add(new SavoSeries($"td3 ({td3.Runs.Count} seeds)", [savo[0].K, savo[^1].K], [mean, mean], Dashed: true));
            }
            charts.Add(SavoSvg.Chart(series, string.Create(Invariant, $"{env.Title}: final return vs k ({Thousands(budget)} steps)"),
                "k (successive actor-surrogates)", "Final greedy return (mean ± std)", width: 640, height: 400, integerX: true));
        }
        return charts.Count == 0 ? "" : charts.Count == 1 ? charts[0] : QmpSvg.Panel(charts, 2, "SAVO: more actor-surrogates (Fig. 4.11 left)");
    }

    /// <summary>A step count with thin spaces between thousands ("30 000"), as the other reports' titles write them.</summary>
    public static string Thousands(long value) => value.ToString("N0", Invariant).Replace(',', ' ');

    private static SavoSeries Sweep(string name, IReadOnlyList<Summary> byK) => new(name,
        byK.Select(s => (double)s.K).ToArray(), byK.Select(s => ExperimentOutput.Mean(s.Final)).ToArray(),
        byK.Select(s => ExperimentOutput.Mean(s.Final) - ExperimentOutput.Std(s.Final)).ToArray(),
        byK.Select(s => ExperimentOutput.Mean(s.Final) + ExperimentOutput.Std(s.Final)).ToArray(), Markers: true);
}
