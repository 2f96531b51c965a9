using System.Diagnostics;
using System.Globalization;
using RLKit.Algorithms.Savo;
using RLKit.Environments.Vector;
using RLKit.Training;
using RLKit.Training.Checkpoints;
using RLKit.Training.Evaluation;

namespace RLKit.Experiments;

/// <summary>The savo and savo-report commands' options.</summary>
internal sealed record SavoSettings
{
    /// <summary>The environment; required by savo, optional for savo-report (every environment found in --in).</summary>
    public SavoEnvironment? Environment { get; init; }
    /// <summary>The methods, or null for SAVO and the baselines (savo-report: every method found).</summary>
    public IReadOnlyList<string>? Methods { get; init; }
    /// <summary>k: the candidates of every method that uses it (savo-report: the main k of the curves and profiles).</summary>
    public int K { get; init; } = 3;
    public int Seeds { get; init; } = 5;
    public ulong FirstSeed { get; init; }
    /// <summary>Environment steps per run (summed over the training copies), or null for the environment's default.</summary>
    public long? Steps { get; init; }
    /// <summary>Evaluate every this many environment steps (and after the first update and at the end), or null for a tenth of the budget.</summary>
    public long? EvaluateEvery { get; init; }
    public int EvaluationEpisodes { get; init; } = 10;
    /// <summary>Hidden sizes of every actor, critic and surrogate instead of the environment's (a deviation, recorded in each run's options), or null.</summary>
    public IReadOnlyList<int>? HiddenSizes { get; init; }
    /// <summary>The engine's thread count (EngineSettings.MaxDegreeOfParallelism), or null for every core.</summary>
    public int? Threads { get; init; }
    /// <summary>savo: where runs go (&lt;out&gt;/&lt;env&gt;/&lt;method&gt;/k&lt;k&gt;/seed&lt;s&gt;); savo-report: where the report goes (default --in).</summary>
    public string? OutputDirectory { get; init; }
    /// <summary>savo-report: where the runs are (default runs/savo).</summary>
    public string? InputDirectory { get; init; }

    public SavoEnvironment Env => Environment ?? throw new InvalidOperationException("savo: --env was not given.");
    public long StepBudget => Steps ?? Env.DefaultSteps;
    /// <summary>Random actions before the first update: the environment's default, at most a quarter of the budget.</summary>
    public int LearningStarts => (int)Math.Min(Env.DefaultLearningStarts, Math.Max(1, StepBudget / 4));
    public long EffectiveEvaluateEvery => EvaluateEvery ?? Math.Max(1, StepBudget / 10);
}

/// <summary>
/// Seed 003 ch. 4's experiments (SAVO, Figs. 4.7–4.9 and 4.11 left) on the tasks RLKit has: per environment, method, k
/// and seed, a TD3-loop run of <see cref="SavoSettings.StepBudget"/> environment steps, evaluated greedily on
/// <see cref="SavoSettings.EvaluationEpisodes"/> episodes right after the first update, every
/// <see cref="SavoSettings.EffectiveEvaluateEvery"/> steps and at the end. Each run writes its own directory
/// &lt;out&gt;/&lt;env&gt;/&lt;method&gt;/k&lt;k&gt;/seed&lt;s&gt; (curve.csv, result.json, and agent.rlkit for SAVO on a
/// one-dimensional action); a finished run is skipped, so a stopped sweep resumes and processes with different
/// --methods, --k or --first-seed can share --out. savo-report reads every finished run.
/// </summary>
internal static class SavoExperiment
{
    public static readonly string DefaultDirectory = Path.Combine("runs", "savo");

    // Evaluation resets use seeds far from the training seeds so no evaluation replays a training episode's start.
    private const ulong EvaluationSeedBase = 1_000_000;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A run's directory: &lt;out&gt;/&lt;env&gt;/&lt;method&gt;/k&lt;k&gt;/seed&lt;s&gt; (k = 1 for the methods that ignore k).</summary>
    public static string RunDirectory(string directory, SavoEnvironment env, string method, int k, ulong seed) =>
        Path.Combine(directory, env.Name, method, "k" + SavoMethods.EffectiveK(method, k).ToString(Invariant), "seed" + seed.ToString(Invariant));

    public static int Run(SavoSettings settings)
    {
        var env = settings.Env;
        string directory = settings.OutputDirectory ?? DefaultDirectory;
        var methods = settings.Methods ?? SavoMethods.Baselines;
        Directory.CreateDirectory(directory);
        if (settings.Threads is { } threads) RLKit.Tensors.EngineSettings.MaxDegreeOfParallelism = threads;
        var total = Stopwatch.StartNew();
        Console.Error.WriteLine(string.Create(Invariant,
            $"savo: {env.Name} ({env.Id}){(settings.HiddenSizes is { } hidden ? $", hidden [{string.Join(", ", hidden)}] (not the environment's)" : "")}, {methods.Count} method(s) × {settings.Seeds} seed(s), k = {settings.K}, {settings.StepBudget} env steps per run ({env.Environments} cop{(env.Environments == 1 ? "y" : "ies")}, learning starts {settings.LearningStarts}), evaluation after the first update, every {settings.EffectiveEvaluateEvery} steps and at the end ({settings.EvaluationEpisodes} greedy episodes), {RLKit.Tensors.EngineSettings.MaxDegreeOfParallelism} engine thread(s), writing to {directory}"));

        for (ulong seed = settings.FirstSeed; seed < settings.FirstSeed + (ulong)settings.Seeds; seed++)
        {
            foreach (var method in methods)
                RunOne(env, method, seed, settings, directory);
        }

        var runs = SavoReport.ReadRuns(directory, env).Where(r => methods.Contains(r.Method)).ToList();
        SavoReport.Print(Console.Out, env, SavoReport.Summarise(runs, methods));
        Console.Error.WriteLine(string.Create(Invariant, $"savo: done in {total.Elapsed.TotalMinutes:0.0} min; savo-report --in {directory} draws the charts"));
        return 0;
    }

    /// <summary>
    /// The tables, RESULT lines, CSVs and charts of every finished run in --in (of --env, or of every environment
    /// found); --methods selects and orders them. Writes to --out (default --in).
    /// </summary>
    public static int Report(SavoSettings settings)
    {
        string input = settings.InputDirectory ?? DefaultDirectory;
        string output = settings.OutputDirectory ?? input;
        var environments = settings.Environment is { } only ? [only] : SavoEnvironment.All;
        var found = new List<(SavoEnvironment Env, IReadOnlyList<SavoReport.Summary> Summaries)>();
        var allRuns = new List<SavoRun>();
        var summaryRows = new List<(SavoEnvironment, SavoReport.Summary)>();
        foreach (var env in environments)
        {
            var recorded = SavoReport.ReadRuns(input, env);
            var order = settings.Methods ?? SavoMethods.Names.Concat(recorded.Select(r => r.Method).Order(StringComparer.Ordinal)).Distinct().ToList();
            var runs = recorded.Where(r => order.Contains(r.Method)).ToList();
            if (runs.Count == 0) continue;
            var summaries = SavoReport.Summarise(runs, order);
            if (found.Count > 0) Console.Out.WriteLine();
            SavoReport.Print(Console.Out, env, summaries);
            found.Add((env, summaries));
            allRuns.AddRange(runs);
            summaryRows.AddRange(summaries.Select(s => (env, s)));
        }
        if (found.Count == 0)
        {
            Console.Error.WriteLine($"error: {input} holds no finished savo run (a directory <env>/<method>/k<k>/seed<s> with {ExperimentOutput.ResultFile})");
            return 2;
        }
        Directory.CreateDirectory(output);
        SavoReport.WriteRunsCsv(output, allRuns);
        SavoReport.WriteSummaryCsv(output, summaryRows);

        // The main comparison: every method at the main k (td3, cem and greedy at k = 1), each at its largest budget.
        var main = found.Select(f => (f.Env, (IReadOnlyList<SavoReport.Summary>)AtMainK(f.Summaries, settings.K))).ToList();
        foreach (var (env, summaries) in main)
        {
            string chart = SavoReport.LearningCurves(env, summaries, settings.K);
            if (chart.Length > 0) ExperimentOutput.WriteAtomically(Path.Combine(output, $"savo-{env.Name}-return.svg"), chart);
        }
        Console.Out.WriteLine();
        // The profiles average the challenging tasks; the unrestricted pendulum is the convex control (Fig. C.3's role).
        var profiled = main.Where(m => m.Env != SavoEnvironment.Pendulum).ToList();
        WriteProfile(output, profiled, main, "baselines", SavoMethods.Baselines, "SAVO vs baselines (Fig. 4.7a)");
        WriteProfile(output, profiled, main, "ablations", ["savo", .. SavoMethods.Names.Except(SavoMethods.Baselines)], "SAVO vs its ablations (Fig. 4.7b)");

        string sweep = SavoReport.KSweep(found);
        if (sweep.Length > 0) ExperimentOutput.WriteAtomically(Path.Combine(output, "savo-k-sweep.svg"), sweep);
        WriteLandscapes(input, output, found, settings.K);
        return 0;
    }

    /// <summary>Per method the summary at the main k (k = 1 for the methods that ignore it) with the largest budget.</summary>
    private static List<SavoReport.Summary> AtMainK(IReadOnlyList<SavoReport.Summary> summaries, int k) =>
        summaries.Where(s => s.K == SavoMethods.EffectiveK(s.Method, k))
                 .GroupBy(s => s.Method).Select(g => g.MaxBy(s => s.Steps)!).ToList();

    private static void WriteProfile(string output, IReadOnlyList<(SavoEnvironment Env, IReadOnlyList<SavoReport.Summary> Summaries)> profiled,
                                     IReadOnlyList<(SavoEnvironment Env, IReadOnlyList<SavoReport.Summary> Summaries)> all,
                                     string name, IReadOnlyList<string> methods, string title)
    {
        var subsets = profiled.Select(p => (p.Env, (IReadOnlyList<SavoReport.Summary>)p.Summaries.Where(s => methods.Contains(s.Method)).ToList())).ToList();
        var result = SavoProfile.Compute(subsets, methods, env => all.First(a => a.Env == env).Summaries);
        if (result is null) return;
        SavoProfile.Print(Console.Out, result, name);
        if (result.Normalisation.Count == 0 || result.Methods.Count < 2) return;
        ExperimentOutput.WriteAtomically(Path.Combine(output, $"savo-profile-{name}.svg"),
            SavoProfile.Render(result, $"{title}: {result.Normalisation.Count} task(s), 95% stratified-bootstrap bands"));
        ExperimentOutput.WriteAtomically(Path.Combine(output, $"savo-profile-{name}.csv"), SavoProfile.Csv(result));
    }

    /// <summary>
    /// Fig. 4.9 for every one-dimensional continuous task with a finished SAVO run at the main k that saved its model:
    /// the first such seed's landscape (savo-&lt;env&gt;-landscape.svg and .csv) and the summary over its episode.
    /// </summary>
    private static void WriteLandscapes(string input, string output, IReadOnlyList<(SavoEnvironment Env, IReadOnlyList<SavoReport.Summary> Summaries)> found, int k)
    {
        foreach (var (env, summaries) in found)
        {
            if (env.Discrete) continue;
            var run = summaries.Where(s => s.Method == "savo" && s.K == k).OrderByDescending(s => s.Steps).SelectMany(s => s.Runs)
                               .FirstOrDefault(r => File.Exists(Path.Combine(RunDirectory(input, env, r.Method, r.K, r.Seed), SavoReport.ModelFile)));
            if (run is null) continue;
            string label = string.Create(Invariant, $"savo k={run.K}, seed {run.Seed}, {SavoReport.Thousands(run.EnvironmentSteps)} steps");
            var (svg, csv, summary) = SavoLandscape.Render(env, RunDirectory(input, env, run.Method, run.K, run.Seed), label);
            ExperimentOutput.WriteAtomically(Path.Combine(output, $"savo-{env.Name}-landscape.svg"), svg);
            ExperimentOutput.WriteAtomically(Path.Combine(output, $"savo-{env.Name}-landscape.csv"), csv);
            Console.Out.WriteLine($"Q-landscape {env.Name} ({label}): {summary.Text}");
        }
    }

    private static void RunOne(SavoEnvironment env, string method, ulong seed, SavoSettings settings, string directory)
    {
        int k = SavoMethods.EffectiveK(method, settings.K);
        string label = string.Create(Invariant, $"[{method} k={k} {env.Name} seed {seed}]");
        string runDirectory = RunDirectory(directory, env, method, settings.K, seed);
        long budget = settings.StepBudget;
        var make = env.Factory();
        using var evaluation = new SyncVectorEnvironment(Enumerable.Range(0, settings.EvaluationEpisodes).Select(_ => make()).ToArray(), AutoresetMode.SameStep);
        var tracker = new RunTracker(label, budget, settings.EffectiveEvaluateEvery, evaluation, settings.EvaluationEpisodes, EvaluationSeedBase + seed * 1_000, runDirectory);
        var estimator = SavoMethods.Build(method, settings.K, SavoMethods.Td3Options(env, budget, settings.LearningStarts, settings.HiddenSizes, seed), [tracker]);
        string description = SavoMethods.Describe(method, estimator.Options, env.Environments);
        if (ExperimentOutput.IsFinished(runDirectory))
        {
            var done = SavoReport.ReadRun(runDirectory);
            Console.Error.WriteLine(done.BudgetSteps == budget && done.EvaluateEvery == settings.EffectiveEvaluateEvery && done.EvaluationEpisodes == settings.EvaluationEpisodes && done.Options == description
                ? $"{label} already finished in {runDirectory}; skipped"
                : string.Create(Invariant, $"{label} warning: {runDirectory} holds a finished run of another protocol ({done.BudgetSteps} steps, evaluation every {done.EvaluateEvery} on {done.EvaluationEpisodes} episodes; {done.Options}); skipped: choose another --out to run these settings"));
            return;
        }
        Directory.CreateDirectory(runDirectory);
        using var vector = new SyncVectorEnvironment(Enumerable.Range(0, env.Environments).Select(_ => make()).ToArray(), AutoresetMode.SameStep);
        Console.Error.WriteLine($"{label} {description}");

        var watch = Stopwatch.StartNew();
        var agent = estimator.Fit(vector, Budget.Steps(budget));
        watch.Stop();
        tracker.Finish(agent);
        if (agent.Architecture == ActorArchitectures.Savo && !env.Discrete)
            Checkpoint.Save(agent, Path.Combine(runDirectory, SavoReport.ModelFile));

        var run = new SavoRun
        {
            Environment = env.Name,
            Method = method,
            K = k,
            Seed = seed,
            BudgetSteps = budget,
            EnvironmentSteps = tracker.Steps,
            LearningStarts = settings.LearningStarts,
            EvaluateEvery = settings.EffectiveEvaluateEvery,
            EvaluationEpisodes = settings.EvaluationEpisodes,
            Seconds = watch.Elapsed.TotalSeconds + tracker.FinalEvaluationSeconds,
            EvaluationSeconds = tracker.EvaluationSeconds,
            Options = description,
            Evaluations = tracker.Points,
        };
        SavoReport.WriteRun(runDirectory, run);
        Console.Error.WriteLine(string.Create(Invariant,
            $"{label} done: {run.EnvironmentSteps} env steps in {run.Seconds / 60:0.0} min ({run.MicrosecondsPerStep:0} µs per training step; {run.EvaluationSeconds:0} s in {run.Evaluations.Count} evaluations): return {run.InitialReturn:0.0} → {run.FinalReturn:0.0}"));
    }

    /// <summary>
    /// Follows one run: evaluates right after the first update (the near-untrained agent), at each interval and at the
    /// end on the fixed evaluation copies; prints a progress line per evaluation and rewrites curve.csv after each.
    /// </summary>
    private sealed class RunTracker(string label, long budget, long every, IVectorEnvironment evaluation, int episodes, ulong seed, string directory)
        : ScheduledEvaluationTracker<SavoPoint>(budget, every, evaluateFirstUpdate: true)
    {
        protected override long StepsOf(SavoPoint point) => point.Steps;

        protected override SavoPoint Score(IAgent agent)
        {
            var report = Evaluator.Evaluate(agent, evaluation, episodes, deterministic: true, seed: seed);
            return new SavoPoint(Steps, report.MeanReturn, report.StdReturn);
        }

        protected override void Record(SavoPoint point, TrainingUpdate? update)
        {
            SavoReport.WriteCurve(directory, Points);
            double elapsed = Clock.Elapsed.TotalSeconds, training = elapsed - EvaluationSeconds;
            Console.Error.WriteLine(string.Create(Invariant,
                $"{label} {Steps}/{Budget} env steps: return {point.Return:0.0} ± {point.ReturnStd:0.0}{(update?.MeanReturn is { } r ? $" | training episodes {r:0.0}" : "")}{(update is null ? "" : " | " + string.Join(" ", update.Losses.Select(l => $"{l.Key}={l.Value:G3}")))} | {elapsed / 60:0.0} min ({training / Math.Max(1, Steps) * 1e6:0} µs per step training, {EvaluationSeconds:0} s evaluating)"));
        }
    }
}
