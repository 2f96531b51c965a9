using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RLKit.Training.Metrics;

namespace RLKit.Experiments;

/// <summary>One validation of a run: at how many environment steps, the validation score and return, and the training episodes' mean return.</summary>
internal sealed record NewActionsPoint(long Steps, double Validation, double ValidationReturn, double? TrainingReturn);

/// <summary>
/// One finished run (environment × method × seed): its protocol, the best model's validation score and the zero-shot
/// scores on train and test actions. Stored as result.json (written last: a run is finished once it exists) beside
/// curve.csv and the best model.
/// </summary>
internal sealed record NewActionsRun
{
    [JsonPropertyName("env")] public required string Environment { get; init; }
    /// <summary>What differs from the paper's environment (e.g. a fixed lava river), or null.</summary>
    [JsonPropertyName("deviation")] public string? Deviation { get; init; }
    [JsonPropertyName("method")] public required string Method { get; init; }
    [JsonPropertyName("seed")] public required ulong Seed { get; init; }
    [JsonPropertyName("encoder")] public required string Encoder { get; init; }
    [JsonPropertyName("policy")] public required string Policy { get; init; }
    [JsonPropertyName("m_train")] public required int TrainingActionsPerEpisode { get; init; }
    [JsonPropertyName("m_eval")] public required int EvaluationActionsPerEpisode { get; init; }
    [JsonPropertyName("entropy")] public required float EntropyCoefficient { get; init; }
    [JsonPropertyName("budget_steps")] public required long BudgetSteps { get; init; }
    [JsonPropertyName("env_steps")] public required long EnvironmentSteps { get; init; }
    [JsonPropertyName("eval_every")] public required long EvaluateEvery { get; init; }
    [JsonPropertyName("validation_episodes")] public required int ValidationEpisodes { get; init; }
    [JsonPropertyName("final_episodes")] public required int FinalEpisodes { get; init; }
    [JsonPropertyName("encoder_epochs")] public required int EncoderEpochs { get; init; }
    /// <summary>The seed of the encoder whose representations the run used (null for "given").</summary>
    [JsonPropertyName("encoder_seed")] public ulong? EncoderSeed { get; init; }
    [JsonPropertyName("trajectories_per_skill")] public required int TrajectoriesPerSkill { get; init; }
    [JsonPropertyName("best_steps")] public required long BestSteps { get; init; }
    [JsonPropertyName("best_validation")] public required double BestValidation { get; init; }
    /// <summary>The score on training actions (skill grid: success rate; recommender: mean return).</summary>
    [JsonPropertyName("train")] public required double Train { get; init; }
    /// <summary>The score on unseen test actions.</summary>
    [JsonPropertyName("test")] public required double Test { get; init; }
    [JsonPropertyName("train_return")] public required double TrainReturn { get; init; }
    [JsonPropertyName("test_return")] public required double TestReturn { get; init; }
    /// <summary>Mean reward per step (the recommender's click-through rate).</summary>
    [JsonPropertyName("train_reward_per_step")] public required double TrainRewardPerStep { get; init; }
    [JsonPropertyName("test_reward_per_step")] public required double TestRewardPerStep { get; init; }
    [JsonPropertyName("seconds")] public required double Seconds { get; init; }
    [JsonPropertyName("eval_seconds")] public required double EvaluationSeconds { get; init; }
    [JsonPropertyName("options")] public required string Options { get; init; }
    /// <summary>The validations, from curve.csv (not in the JSON).</summary>
    [JsonIgnore] public IReadOnlyList<NewActionsPoint> Curve { get; init; } = [];
}

/// <summary>
/// The new-actions command's files and outputs. Per run directory &lt;out&gt;/&lt;env&gt;/&lt;method&gt;/seed&lt;s&gt;:
/// curve.csv (one row per validation) and result.json. Per report directory: the table and RESULT lines,
/// new-actions-&lt;env&gt;-runs.csv (one row per run), new-actions-&lt;env&gt;-summary.csv (one row per method),
/// new-actions-&lt;env&gt;-bars.svg (train vs test per method, Figs. 2.5/2.6), new-actions-&lt;env&gt;-curves.svg
/// (validation score vs steps) and new-actions-&lt;env&gt;-projection.svg (PCA of the test actions' inferred
/// representations, Fig. 2.4).
/// </summary>
internal static class NewActionsReport
{
    public const string CurveFile = "curve.csv";
    public const string ResultFile = ExperimentOutput.ResultFile;
    private const string CurveHeader = "env_steps,validation_score,validation_return,training_return";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Json = ExperimentOutput.ResultJson;

    public static void WriteCurve(string runDirectory, IReadOnlyList<NewActionsPoint> points)
    {
        var text = new StringBuilder(CurveHeader).Append('\n');
        foreach (var p in points)
            text.Append(string.Create(Invariant, $"{p.Steps},{p.Validation:R},{p.ValidationReturn:R},{(p.TrainingReturn is { } t ? t.ToString("R", Invariant) : "")}\n"));
        ExperimentOutput.WriteAtomically(Path.Combine(runDirectory, CurveFile), text.ToString());
    }

    /// <summary>Writes a finished run: curve.csv, then result.json.</summary>
    public static void WriteRun(string runDirectory, NewActionsRun run)
    {
        WriteCurve(runDirectory, run.Curve);
        ExperimentOutput.WriteResult(runDirectory, run, Json);
    }

    public static bool IsFinished(string runDirectory) => ExperimentOutput.IsFinished(runDirectory);

    /// <summary>Every finished run of <paramref name="env"/> under &lt;directory&gt;/&lt;env&gt;, in path order.</summary>
    /// <exception cref="InvalidDataException">If a result.json or curve.csv cannot be read.</exception>
    public static List<NewActionsRun> ReadRuns(string directory, NewActionsEnvironment env)
    {
        return ExperimentOutput.FinishedRunDirectories(Path.Combine(directory, env.Name)).Select(ReadRun).Where(run => run.Environment == env.Name).ToList();
    }

    public static NewActionsRun ReadRun(string runDirectory)
    {
        var run = ExperimentOutput.ReadResult<NewActionsRun>(runDirectory, Json);
        var points = ExperimentOutput.ReadCsv(Path.Combine(runDirectory, CurveFile), CurveHeader)
            .Select(c => new NewActionsPoint(long.Parse(c[0], Invariant), double.Parse(c[1], Invariant), double.Parse(c[2], Invariant),
                                             c[3].Length == 0 ? null : double.Parse(c[3], Invariant)))
            .ToList();
        return run with { Curve = points };
    }

    /// <summary>The runs of <paramref name="methods"/>, in that order, then by seed.</summary>
    public static List<NewActionsRun> Select(IReadOnlyList<NewActionsRun> runs, IReadOnlyList<string> methods) =>
        methods.Distinct().SelectMany(m => runs.Where(r => r.Method == m).OrderBy(r => r.Seed)).ToList();

    /// <summary>One method's runs of one protocol (runs of another budget or encoder budget form their own row).</summary>
    internal sealed record Summary(string Method, long Steps, int EncoderEpochs, string? Deviation, IReadOnlyList<NewActionsRun> Runs)
    {
        public double[] Train => Runs.Select(r => r.Train).ToArray();
        public double[] Test => Runs.Select(r => r.Test).ToArray();
        public double[] TrainReturn => Runs.Select(r => r.TrainReturn).ToArray();
        public double[] TestReturn => Runs.Select(r => r.TestReturn).ToArray();
        public double[] TestRewardPerStep => Runs.Select(r => r.TestRewardPerStep).ToArray();
        public double[] Validation => Runs.Select(r => r.BestValidation).ToArray();

        /// <summary>The label of charts and tables: the method, with its budget when several budgets are reported.</summary>
        public string Label { get; init; } = Method;
    }

    internal static List<Summary> Summarise(IReadOnlyList<NewActionsRun> runs)
    {
        var summaries = runs.GroupBy(r => (r.Method, r.BudgetSteps, r.EncoderEpochs, r.Deviation))
                            .Select(g => new Summary(g.Key.Method, g.Key.BudgetSteps, g.Key.EncoderEpochs, g.Key.Deviation, g.ToList())).ToList();
        bool ambiguous = summaries.GroupBy(s => s.Method).Any(g => g.Count() > 1);
        return ambiguous
            ? summaries.Select(s => s with { Label = string.Create(Invariant, $"{s.Method} ({s.Steps} steps, {s.EncoderEpochs} encoder epochs{(s.Deviation is null ? "" : ", deviation")})") }).ToList()
            : summaries;
    }

    /// <summary>The method table and one RESULT line per method (and protocol).</summary>
    public static void Print(TextWriter output, NewActionsEnvironment env, IReadOnlyList<NewActionsRun> runs)
    {
        if (runs.Count == 0)
        {
            output.WriteLine($"new-actions: no finished {env.Name} runs to report.");
            return;
        }
        var first = runs[0];
        output.WriteLine($"Generalisation to new actions (seed 003 ch. 2) on the {env.Description}.");
        output.WriteLine(string.Create(Invariant,
            $"Score = {env.ScoreName}. Best model by validation ({first.ValidationEpisodes} greedy episodes on validation actions every {first.EvaluateEvery} env steps), then {first.FinalEpisodes} greedy episodes on train actions (the method's training m) and on unseen test actions (m = {first.EvaluationActionsPerEpisode}). Mean ± std over seeds (population std)."));
        foreach (var deviation in runs.Select(r => r.Deviation).OfType<string>().Distinct())
            output.WriteLine($"DEVIATION in {runs.Count(r => r.Deviation == deviation)} run(s): {deviation}.");
        output.WriteLine();
        var summaries = Summarise(runs);
        var header = new List<string> { "method", "seeds", "budget (steps)", "encoder epochs", "m train", "train", "test", "best validation", "train return", "test return" };
        if (!env.HasSuccess) header.Add("test CTR");
        header.Add("s/run");
        var table = summaries.Select(s =>
        {
            var row = new List<string>
            {
                s.Label, s.Runs.Count.ToString(Invariant), s.Steps.ToString(Invariant), s.EncoderEpochs.ToString(Invariant),
                s.Runs[0].TrainingActionsPerEpisode.ToString(Invariant),
                PlusMinus(s.Train, "0.000"), PlusMinus(s.Test, "0.000"), PlusMinus(s.Validation, "0.000"),
                PlusMinus(s.TrainReturn, "0.00"), PlusMinus(s.TestReturn, "0.00"),
            };
            if (!env.HasSuccess) row.Add(PlusMinus(s.TestRewardPerStep, "0.000"));
            row.Add(s.Runs.Average(r => r.Seconds).ToString("0", Invariant));
            return (IReadOnlyList<string>)row;
        }).ToList();
        ExperimentOutput.WriteTable(output, header, table);
        output.WriteLine();
        foreach (var s in summaries)
        {
            output.WriteLine(string.Create(Invariant,
                $"RESULT exp=new-actions env={env.Name} method={s.Method} seeds={s.Runs.Count} train={ExperimentOutput.MeanStd(s.Train, "0.000")} test={ExperimentOutput.MeanStd(s.Test, "0.000")} test_return={ExperimentOutput.MeanStd(s.TestReturn, "0.00")} steps={s.Steps} encoder_epochs={s.EncoderEpochs}{(s.Deviation is null ? "" : " deviation=yes")}"));
        }
    }

    private static string PlusMinus(IReadOnlyList<double> values, string format) =>
        ExperimentOutput.Mean(values).ToString(format, Invariant) + " ± " + ExperimentOutput.Std(values).ToString(format, Invariant);

    /// <summary>Writes the CSVs and SVGs of the report (see the class summary).</summary>
    public static void WriteOutputs(string runsDirectory, string directory, NewActionsEnvironment env, IReadOnlyList<NewActionsRun> runs)
    {
        if (runs.Count == 0) return;
        Directory.CreateDirectory(directory);
        var perRun = new StringBuilder("method,seed,encoder,policy,m_train,m_eval,entropy,budget_steps,env_steps,encoder_epochs,trajectories_per_skill,best_steps,best_validation,train,test,train_return,test_return,train_reward_per_step,test_reward_per_step,seconds,eval_seconds,deviation,options\n");
        foreach (var r in runs)
        {
            perRun.Append(string.Create(Invariant,
                $"{r.Method},{r.Seed},{r.Encoder},{r.Policy},{r.TrainingActionsPerEpisode},{r.EvaluationActionsPerEpisode},{r.EntropyCoefficient},{r.BudgetSteps},{r.EnvironmentSteps},{r.EncoderEpochs},{r.TrajectoriesPerSkill},{r.BestSteps},{r.BestValidation:0.####},{r.Train:0.####},{r.Test:0.####},{r.TrainReturn:0.####},{r.TestReturn:0.####},{r.TrainRewardPerStep:0.####},{r.TestRewardPerStep:0.####},{r.Seconds:0.#},{r.EvaluationSeconds:0.#},\"{r.Deviation ?? ""}\",\"{r.Options.Replace('"', '\'')}\"\n"));
        }
        ExperimentOutput.WriteAtomically(Path.Combine(directory, $"new-actions-{env.Name}-runs.csv"), perRun.ToString());

        var summaries = Summarise(runs);
        var summary = new StringBuilder("method,seeds,budget_steps,encoder_epochs,m_train,train_mean,train_std,test_mean,test_std,validation_mean,validation_std,train_return_mean,test_return_mean,test_reward_per_step_mean\n");
        foreach (var s in summaries)
        {
            summary.Append(string.Create(Invariant,
                $"{s.Label},{s.Runs.Count},{s.Steps},{s.EncoderEpochs},{s.Runs[0].TrainingActionsPerEpisode},{ExperimentOutput.Mean(s.Train):0.####},{ExperimentOutput.Std(s.Train):0.####},{ExperimentOutput.Mean(s.Test):0.####},{ExperimentOutput.Std(s.Test):0.####},{ExperimentOutput.Mean(s.Validation):0.####},{ExperimentOutput.Std(s.Validation):0.####},{ExperimentOutput.Mean(s.TrainReturn):0.####},{ExperimentOutput.Mean(s.TestReturn):0.####},{ExperimentOutput.Mean(s.TestRewardPerStep):0.####}\n"));
        }
        ExperimentOutput.WriteAtomically(Path.Combine(directory, $"new-actions-{env.Name}-summary.csv"), summary.ToString());

        string budget = string.Join(" / ", summaries.Select(s => s.Steps).Distinct().Select(s => s.ToString("N0", Invariant).Replace(',', ' '))) + " env steps";
        string seeds = string.Join("/", summaries.Select(s => s.Runs.Count).Distinct());
        string scoreAxis = env.HasSuccess ? "Success rate" : "Mean return (clicks per episode)";
        ExperimentOutput.WriteAtomically(Path.Combine(directory, $"new-actions-{env.Name}-bars.svg"),
            NewActionsSvg.Bars(summaries.Select(s => (s.Label, ExperimentOutput.Mean(s.Train), ExperimentOutput.Std(s.Train), ExperimentOutput.Mean(s.Test), ExperimentOutput.Std(s.Test))).ToList(),
                $"{env.Title}: train (light) vs unseen test actions (solid), {budget}, {seeds} seeds", scoreAxis, env.HasSuccess ? 1.0 : null));

        var curves = new List<LearningCurve>();
        foreach (var s in summaries)
        {
            var seedsCurves = s.Runs.Select(r => (IReadOnlyList<CurvePoint>)r.Curve.Select(p => new CurvePoint(p.Steps, p.Validation)).ToArray()).Where(c => c.Count >= 2).ToList();
            if (seedsCurves.Count > 0) curves.Add(new LearningCurve(s.Label, seedsCurves));
        }
        if (curves.Count > 0)
        {
            ExperimentOutput.WriteAtomically(Path.Combine(directory, $"new-actions-{env.Name}-curves.svg"), LearningCurveSvg.Render(curves, new LearningCurveSvgOptions
            {
                Title = $"{env.Title}: validation {env.ScoreName} ({budget}), mean ± std over seeds",
                XAxisLabel = "Environment steps",
                YAxisLabel = $"Validation {env.ScoreName}",
                Width = 960,
                Height = 540,
            }));
        }

        WriteProjection(runsDirectory, directory, env, runs);
    }

    /// <summary>
    /// Fig. 2.4: the test actions' representations of each encoder with cached representations ("hvae", "vae" on the
    /// skill grid; "given" on the recommender), for the lowest seed that has them all, projected on their first two
    /// principal components and coloured by the environment's known action property.
    /// </summary>
    private static void WriteProjection(string runsDirectory, string directory, NewActionsEnvironment env, IReadOnlyList<NewActionsRun> runs)
    {
        string[] encoders = env.HasSuccess ? ["hvae", "vae"] : ["given"];
        foreach (ulong seed in runs.Select(r => r.Seed).Distinct().Order())
        {
            var found = encoders.Select(e => (Encoder: e, Representations: NewActionsEncoders.ReadCached(runsDirectory, env, e, seed))).Where(p => p.Representations is not null).ToList();
            if (found.Count == 0) continue;
            var (_, _, test) = env.Split();
            var (classes, names) = env.Property();
            var panels = new List<string>();
            foreach (var (encoder, representations) in found)
            {
                int width = representations!.Length / env.ActionCount;
                var rows = new double[test.Length][];
                for (int i = 0; i < test.Length; i++)
                    rows[i] = representations.AsSpan(test[i] * width, width).ToArray().Select(v => (double)v).ToArray();
                var (points, explained) = Pca.Project(rows, 2);
                panels.Add(NewActionsSvg.Scatter(points, test.Select(a => classes[a]).ToArray(), names,
                    string.Create(Invariant, $"{encoder}: {test.Length} test actions (seed {seed}), PC1/PC2 explain {explained[0]:P0}/{explained[1]:P0}"), env.PropertyName));
            }
            ExperimentOutput.WriteAtomically(Path.Combine(directory, $"new-actions-{env.Name}-projection.svg"),
                QmpSvg.Panel(panels, panels.Count, panels.Count > 1 ? $"{env.Title}: inferred representations of unseen test actions (PCA), coloured by {env.PropertyName}" : "Unseen test actions' representations (PCA)"));
            return;
        }
    }
}
