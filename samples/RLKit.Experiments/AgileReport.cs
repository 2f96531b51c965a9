using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RLKit.Training.Metrics;

namespace RLKit.Experiments;

/// <summary>One evaluation of a run: at how many environment steps, the greedy train return, the test return (RecSim) and the extra number.</summary>
internal sealed record AgilePoint(long Steps, double Train, double? Test, double? Extra);

/// <summary>
/// One finished run (environment × method × seed): its budget, timing, the method's options and its evaluations.
/// Stored as result.json (written last: a run is finished once it exists) beside curve.csv.
/// </summary>
internal sealed record AgileRun
{
    [JsonPropertyName("env")] public required string Environment { get; init; }
    [JsonPropertyName("method")] public required string Method { get; init; }
    [JsonPropertyName("seed")] public required ulong Seed { get; init; }
    /// <summary>The step budget asked for (the run stops at the first update past it).</summary>
    [JsonPropertyName("budget_steps")] public required long BudgetSteps { get; init; }
    [JsonPropertyName("env_steps")] public required long EnvironmentSteps { get; init; }
    [JsonPropertyName("eval_every")] public required long EvaluateEvery { get; init; }
    [JsonPropertyName("eval_episodes")] public required int EvaluationEpisodes { get; init; }
    [JsonPropertyName("seconds")] public required double Seconds { get; init; }
    [JsonPropertyName("eval_seconds")] public required double EvaluationSeconds { get; init; }
    [JsonPropertyName("options")] public required string Options { get; init; }
    [JsonPropertyName("final_train")] public double FinalTrain => Evaluations[^1].Train;
    [JsonPropertyName("final_test")] public double? FinalTest => Evaluations[^1].Test;
    [JsonPropertyName("final_extra")] public double? FinalExtra => Evaluations[^1].Extra;
    /// <summary>The evaluations, from curve.csv (not in the JSON).</summary>
    [JsonIgnore] public IReadOnlyList<AgilePoint> Evaluations { get; init; } = [];
}

/// <summary>
/// The agile command's files and outputs. Per run directory &lt;out&gt;/&lt;env&gt;/&lt;method&gt;/seed&lt;s&gt;:
/// curve.csv (one row per evaluation, rewritten after each) and result.json. Per report directory: the tables and
/// RESULT lines, agile-&lt;env&gt;-runs.csv, the learning-curve SVGs (train and test panels, and the extra number) and,
/// on the dig-lava grid, the attention graphs of the GAT methods.
/// </summary>
internal static class AgileReport
{
    public const string CurveFile = "curve.csv";
    public const string ResultFile = ExperimentOutput.ResultFile;
    public const string AttentionFile = "attention.svg";
    private const string CurveHeader = "env_steps,train_return,test_return,extra";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Json = ExperimentOutput.ResultJson;

    /// <summary>Writes curve.csv (every evaluation so far), atomically; empty cells where a number is n/a.</summary>
    public static void WriteCurve(string runDirectory, IReadOnlyList<AgilePoint> points)
    {
        var text = new StringBuilder(CurveHeader).Append('\n');
        foreach (var p in points)
            text.Append(string.Create(Invariant, $"{p.Steps},{p.Train:R},{Cell(p.Test)},{Cell(p.Extra)}\n"));
        ExperimentOutput.WriteAtomically(Path.Combine(runDirectory, CurveFile), text.ToString());
    }

    /// <summary>Writes a finished run: curve.csv, then result.json.</summary>
    public static void WriteRun(string runDirectory, AgileRun run)
    {
        WriteCurve(runDirectory, run.Evaluations);
        ExperimentOutput.WriteResult(runDirectory, run, Json);
    }

    /// <summary>Whether the run directory holds a finished run.</summary>
    public static bool IsFinished(string runDirectory) => ExperimentOutput.IsFinished(runDirectory);

    /// <summary>
    /// Every finished run of <paramref name="env"/> under <paramref name="directory"/>/&lt;env&gt; (the directories
    /// holding a result.json), in path order.
    /// </summary>
    /// <exception cref="InvalidDataException">If a result.json or curve.csv cannot be read.</exception>
    public static List<AgileRun> ReadRuns(string directory, AgileEnvironment env)
    {
        return ExperimentOutput.FinishedRunDirectories(Path.Combine(directory, env.Name)).Select(ReadRun).Where(run => run.Environment == env.Name).ToList();
    }

    /// <summary>The finished run in <paramref name="runDirectory"/> (result.json and curve.csv).</summary>
    /// <exception cref="InvalidDataException">If either file cannot be read.</exception>
    public static AgileRun ReadRun(string runDirectory)
    {
        var run = ExperimentOutput.ReadResult<AgileRun>(runDirectory, Json);
        string curve = Path.Combine(runDirectory, CurveFile);
        var points = ExperimentOutput.ReadCsv(curve, CurveHeader)
            .Select(c => new AgilePoint(long.Parse(c[0], Invariant), double.Parse(c[1], Invariant), Optional(c[2]), Optional(c[3])))
            .ToList();
        if (points.Count == 0) throw new InvalidDataException($"{curve}: no evaluation.");
        return run with { Evaluations = points };
    }

    /// <summary>The runs of <paramref name="methods"/>, in that order, then by seed.</summary>
    public static List<AgileRun> Select(IReadOnlyList<AgileRun> runs, IReadOnlyList<string> methods) =>
        methods.Distinct().SelectMany(m => runs.Where(r => r.Method == m).OrderBy(r => r.Seed)).ToList();

    private sealed record Summary(string Method, long Steps, IReadOnlyList<AgileRun> Runs)
    {
        public double[] Train => Runs.Select(r => r.FinalTrain).ToArray();
        public double[]? Test => Runs.All(r => r.FinalTest is not null) ? Runs.Select(r => r.FinalTest!.Value).ToArray() : null;
        public double[]? Extra => Runs.All(r => r.FinalExtra is not null) ? Runs.Select(r => r.FinalExtra!.Value).ToArray() : null;
        public double[] AucTrain => Runs.Select(r => r.Evaluations.Average(e => e.Train)).ToArray();
    }

    /// <summary>One summary per method and budget (runs of one method with another step budget form their own row).</summary>
    private static List<Summary> Summarise(IReadOnlyList<AgileRun> runs) =>
        runs.GroupBy(r => (r.Method, r.BudgetSteps)).Select(g => new Summary(g.Key.Method, g.Key.BudgetSteps, g.ToList())).ToList();

    /// <summary>The method table and one RESULT line per method (and budget).</summary>
    public static void Print(TextWriter output, AgileEnvironment env, IReadOnlyList<AgileRun> runs)
    {
        if (runs.Count == 0)
        {
            output.WriteLine($"agile: no finished {env.Name} runs to report.");
            return;
        }
        var first = runs[0];
        output.WriteLine(string.Create(Invariant,
            $"AGILE (seed 003 ch. 3) on the {env.Description}; {(env.Learner == AgileLearner.Ppo ? "PPO" : "cascaded DQN")} methods."));
        output.WriteLine(string.Create(Invariant,
            $"Evaluation: {first.EvaluationEpisodes} greedy episodes on {(env.HasTest ? "train items and on test items" : "the environment")} every {first.EvaluateEvery} env steps and at the end; final = the last evaluation; auc = mean train return over all evaluations{ExtraText(env)}. Mean ± std over seeds (population std)."));
        output.WriteLine();
        var summaries = Summarise(runs);
        var header = new List<string> { "method", "seeds", "budget (steps)", "final train" };
        if (env.HasTest) header.Add("final test");
        if (env.ExtraName is { } extra) header.Add(extra);
        header.AddRange(["auc train", "s/run"]);
        var table = summaries.Select(s =>
        {
            var row = new List<string> { s.Method, s.Runs.Count.ToString(Invariant), s.Steps.ToString(Invariant), PlusMinus(s.Train, "0.00") };
            if (env.HasTest) row.Add(s.Test is { } t ? PlusMinus(t, "0.00") : "n/a");
            if (env.ExtraName is not null) row.Add(s.Extra is { } x ? PlusMinus(x, "0.000") : "n/a");
            row.Add(PlusMinus(s.AucTrain, "0.00"));
            row.Add(s.Runs.Average(r => r.Seconds).ToString("0", Invariant));
            return (IReadOnlyList<string>)row;
        }).ToList();
        ExperimentOutput.WriteTable(output, header, table);
        output.WriteLine();
        foreach (var s in summaries)
        {
            string test = s.Test is { } t ? ExperimentOutput.MeanStd(t, "0.00") : "n/a";
            string extraValue = s.Extra is { } x ? ExperimentOutput.MeanStd(x, "0.000") : "n/a";
            output.WriteLine(string.Create(Invariant,
                $"RESULT exp=agile env={env.Name} method={s.Method} seeds={s.Runs.Count} train={ExperimentOutput.MeanStd(s.Train, "0.00")} test={test} extra={extraValue}"));
        }
    }

    private static string ExtraText(AgileEnvironment env) => env.ExtraName switch
    {
        "shortcut_rate" => "; shortcut_rate = the share of evaluation episodes offering dig-orange or dig-pink in which the agent stepped into lava and dug through it",
        "cpr" => "; cpr = the mean CPR of every slate recommended in the train evaluation",
        _ => "",
    };

    private static string PlusMinus(IReadOnlyList<double> values, string format) =>
        ExperimentOutput.Mean(values).ToString(format, Invariant) + " ± " + ExperimentOutput.Std(values).ToString(format, Invariant);

    /// <summary>
    /// Writes agile-&lt;env&gt;-runs.csv (one row per run), agile-&lt;env&gt;-return.svg (train and, on RecSim, test
    /// panels: mean ± std over seeds), agile-&lt;env&gt;-&lt;extra&gt;.svg and, for the dig-lava grid, a copy of the
    /// first seed's attention graph of each GAT method (agile-diglava-attention-&lt;method&gt;.svg).
    /// </summary>
    public static void WriteOutputs(string runsDirectory, string directory, AgileEnvironment env, IReadOnlyList<AgileRun> runs)
    {
        if (runs.Count == 0) return;
        Directory.CreateDirectory(directory);
        var summary = new StringBuilder("method,seed,budget_steps,env_steps,final_train,final_test,final_extra,auc_train,seconds,eval_seconds,options\n");
        foreach (var r in runs)
        {
            summary.Append(string.Create(Invariant,
                $"{r.Method},{r.Seed},{r.BudgetSteps},{r.EnvironmentSteps},{r.FinalTrain:0.####},{Cell(r.FinalTest)},{Cell(r.FinalExtra)},{r.Evaluations.Average(e => e.Train):0.####},{r.Seconds:0.#},{r.EvaluationSeconds:0.#},\"{r.Options.Replace('"', '\'')}\"\n"));
        }
        ExperimentOutput.WriteAtomically(Path.Combine(directory, $"agile-{env.Name}-runs.csv"), summary.ToString());

        var methods = runs.Select(r => r.Method).Distinct().ToList();
        string budget = runs.Max(r => r.BudgetSteps).ToString("N0", Invariant).Replace(',', ' ') + " env steps";
        string title = $"{env.Title}: evaluation return ({budget}), mean ± std over seeds";
        if (!env.HasTest)
        {
            string chart = Chart(methods, runs, p => p.Train, title, "Mean greedy episode return", 960);
            if (chart.Length > 0) ExperimentOutput.WriteAtomically(Path.Combine(directory, $"agile-{env.Name}-return.svg"), chart);
        }
        else
        {
            string[] panels =
            [
                Chart(methods, runs, p => p.Train, "Train items: greedy return", "Mean episode return"),
                Chart(methods, runs, p => p.Test, "Test items (unseen in training): greedy return", "Mean episode return"),
            ];
            if (panels.All(p => p.Length > 0))
                ExperimentOutput.WriteAtomically(Path.Combine(directory, $"agile-{env.Name}-return.svg"), QmpSvg.Panel(panels, panels.Length, title));
        }
        if (env.ExtraName is { } extra)
        {
            string chart = Chart(methods, runs, p => p.Extra, $"{env.Title}: {env.ExtraTitle} ({budget}), mean ± std over seeds", env.ExtraTitle!, 960);
            if (chart.Length > 0) ExperimentOutput.WriteAtomically(Path.Combine(directory, $"agile-{env.Name}-{extra.Replace('_', '-')}.svg"), chart);
        }
        foreach (var method in methods)
        {
            var firstSeed = runs.Where(r => r.Method == method).OrderBy(r => r.Seed).First();
            string attention = Path.Combine(AgileExperiment.RunDirectory(runsDirectory, env, method, firstSeed.Seed), AttentionFile);
            if (File.Exists(attention))
                File.Copy(attention, Path.Combine(directory, $"agile-{env.Name}-attention-{method}.svg"), overwrite: true);
        }
    }

    /// <summary>
    /// One learning-curve chart, or "" when no method has two evaluations with the value (the chart needs a step
    /// range) — e.g. a shortcut rate of an environment that never offered a dig.
    /// </summary>
    private static string Chart(IReadOnlyList<string> methods, IReadOnlyList<AgileRun> runs, Func<AgilePoint, double?> value, string title, string axis, int width = 640)
    {
        var curves = new List<LearningCurve>();
        foreach (var method in methods)
        {
            var seeds = runs.Where(r => r.Method == method)
                            .Select(r => (IReadOnlyList<CurvePoint>)r.Evaluations.Where(e => value(e) is not null).Select(e => new CurvePoint(e.Steps, value(e)!.Value)).ToArray())
                            .Where(s => s.Count >= 2)
                            .ToList();
            if (seeds.Count > 0) curves.Add(new LearningCurve(method, seeds));
        }
        if (curves.Count == 0) return "";
        return LearningCurveSvg.Render(curves, new LearningCurveSvgOptions
        {
            Title = title,
            XAxisLabel = "Environment steps",
            YAxisLabel = axis,
            Width = width,
            Height = width * 9 / 16,
        });
    }

    private static string Cell(double? value) => value is { } v ? v.ToString("R", Invariant) : "";

    private static double? Optional(string cell) => cell.Length == 0 ? null : double.Parse(cell, Invariant);
}
