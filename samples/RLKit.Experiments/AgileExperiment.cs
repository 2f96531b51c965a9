using System.Diagnostics;
using System.Globalization;
using RLKit.Environments.Vector;
using RLKit.Training;

namespace RLKit.Experiments;

/// <summary>The agile and agile-report commands' options.</summary>
internal sealed record AgileSettings
{
    /// <summary>The environment; required by agile, optional for agile-report (every environment found in --in).</summary>
    public AgileEnvironment? Environment { get; init; }
    /// <summary>The methods, or null for every method defined on the environment (agile-report: every method found).</summary>
    public IReadOnlyList<string>? Methods { get; init; }
    public int Seeds { get; init; } = 5;
    public ulong FirstSeed { get; init; }
    /// <summary>Environment steps per run (summed over the training copies), or null for the environment's default.</summary>
    public long? Steps { get; init; }
    /// <summary>RecSim only: the budget in epochs (one epoch = one step of each of the 16 copies), the paper's unit.</summary>
    public long? Epochs { get; init; }
    /// <summary>Evaluate every this many environment steps (and at the end), or null for a tenth of the budget.</summary>
    public long? EvaluateEvery { get; init; }
    public int EvaluationEpisodes { get; init; } = 32;
    /// <summary>The engine's thread count (EngineSettings.MaxDegreeOfParallelism), or null for every core.</summary>
    public int? Threads { get; init; }
    /// <summary>Dig-lava only: R_Dig instead of the paper's 0.01, or null.</summary>
    public double? DigReward { get; init; }
    /// <summary>agile: where runs go (&lt;out&gt;/&lt;env&gt;/&lt;method&gt;/seed&lt;s&gt;); agile-report: where the report goes (default --in).</summary>
    public string? OutputDirectory { get; init; }
    /// <summary>agile-report: where the runs are (default runs/agile).</summary>
    public string? InputDirectory { get; init; }

    public AgileEnvironment Env => Environment ?? throw new InvalidOperationException("agile: --env was not given.");

    /// <summary>The step budget of one run: --steps, or --epochs × copies, or the environment's default.</summary>
    public long StepBudget => Steps ?? (Epochs is { } epochs ? epochs * AgileMethods.CdqnEnvironments : AgileExperiment.DefaultSteps(Env));

    public long EffectiveEvaluateEvery => EvaluateEvery ?? Math.Max(1, StepBudget / 10);
}

/// <summary>
/// Seed 003 ch. 3's experiments (AGILE, Figs. 3.4, 3.5 and 3.7) on the environments RLKit has: per environment,
/// method and seed, a run of <see cref="AgileSettings.StepBudget"/> environment steps, evaluated greedily on
/// <see cref="AgileSettings.EvaluationEpisodes"/> episodes (train items, and test items on RecSim) every
/// <see cref="AgileSettings.EffectiveEvaluateEvery"/> steps and at the end. Each run writes its own directory
/// &lt;out&gt;/&lt;env&gt;/&lt;method&gt;/seed&lt;s&gt; (curve.csv, result.json, and attention.svg for the dig-lava GAT
/// methods); a finished run is skipped, so a stopped sweep resumes and processes with different --methods or
/// --first-seed can share --out. agile-report reads every finished run.
/// </summary>
internal static class AgileExperiment
{
    /// <summary>The default output (never docs/: results documents are written by hand from the report).</summary>
    public static readonly string DefaultDirectory = Path.Combine("runs", "agile");

    // Evaluation resets use seeds far from the training seeds so no evaluation replays a training episode's start;
    // the test split gets its own range.
    private const ulong EvaluationSeedBase = 1_000_000, TestSeedOffset = 500_000;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// The default budget of one run: modest, so 5 seeds × 8 methods of one environment fit in well under an hour on
    /// two cores (the paper's 8e6 PPO steps and 10,000 CDQN epochs are far out of reach). Dig-lava: 20 PPO updates
    /// (about 1 ms per env step for the GAT methods on one thread); mining: 4 updates (its 104 actions make the GAT
    /// methods about 20 ms per env step); RecSim: 500 CDQN epochs. Pass --steps for more.
    /// </summary>
    public static long DefaultSteps(AgileEnvironment env) => env.Name switch
    {
        "diglava" => 40_960,
        "mining" => 8_192,
        _ => 8_000,
    };

    /// <summary>A run's directory: &lt;out&gt;/&lt;env&gt;/&lt;method&gt;/seed&lt;s&gt;.</summary>
    public static string RunDirectory(string directory, AgileEnvironment env, string method, ulong seed) =>
        Path.Combine(directory, env.Name, method, "seed" + seed.ToString(Invariant));

    public static int Run(AgileSettings settings)
    {
        var env = settings.Env;
        string directory = settings.OutputDirectory ?? DefaultDirectory;
        var methods = settings.Methods ?? AgileMethods.DefinedOn(env);
        Directory.CreateDirectory(directory);
        if (settings.Threads is { } threads) RLKit.Tensors.EngineSettings.MaxDegreeOfParallelism = threads;
        var total = Stopwatch.StartNew();
        Console.Error.WriteLine(string.Create(Invariant,
            $"agile: {env.Name}{(env.Deviation is { } deviation ? $" ({deviation})" : "")}, {methods.Count} method(s) × {settings.Seeds} seed(s), {settings.StepBudget} env steps per run, evaluation every {settings.EffectiveEvaluateEvery} steps and at the end ({settings.EvaluationEpisodes} greedy episodes{(env.HasTest ? " on train and on test items" : "")}), {RLKit.Tensors.EngineSettings.MaxDegreeOfParallelism} engine thread(s), writing to {directory}"));

        for (ulong seed = settings.FirstSeed; seed < settings.FirstSeed + (ulong)settings.Seeds; seed++)
        {
            foreach (var method in methods)
                RunOne(env, method, seed, settings, directory);
        }

        var runs = AgileReport.Select(AgileReport.ReadRuns(directory, env), methods);
        AgileReport.Print(Console.Out, env, runs);
        AgileReport.WriteOutputs(directory, directory, env, runs);
        Console.Error.WriteLine(string.Create(Invariant, $"agile: done in {total.Elapsed.TotalMinutes:0.0} min"));
        return 0;
    }

    /// <summary>
    /// The tables, RESULT lines and charts of every finished run in --in (of --env, or of every environment found);
    /// --methods, when given, selects and orders them. Writes to --out (default --in).
    /// </summary>
    public static int Report(AgileSettings settings)
    {
        string input = settings.InputDirectory ?? DefaultDirectory;
        string output = settings.OutputDirectory ?? input;
        var environments = settings.Environment is { } env ? [env] : AgileEnvironment.All;
        int reported = 0;
        foreach (var e in environments)
        {
            var recorded = AgileReport.ReadRuns(input, e);
            if (recorded.Count == 0) continue;
            // Default order: the method table's (as the figures list them), then any other name found.
            var found = recorded.Select(r => r.Method).Distinct().ToList();
            var order = settings.Methods ?? AgileMethods.DefinedOn(e).Where(found.Contains).Concat(found.Order(StringComparer.Ordinal)).Distinct().ToList();
            var runs = AgileReport.Select(recorded, order);
            if (reported++ > 0) Console.Out.WriteLine();
            AgileReport.Print(Console.Out, e, runs);
            AgileReport.WriteOutputs(input, output, e, runs);
        }
        if (reported == 0)
        {
            Console.Error.WriteLine($"error: {input} holds no finished agile run (a directory <env>/<method>/seed<s> with {AgileReport.ResultFile})");
            return 2;
        }
        return 0;
    }

    private static void RunOne(AgileEnvironment env, string method, ulong seed, AgileSettings settings, string directory)
    {
        string label = $"[{method} {env.Name} seed {seed}]";
        string runDirectory = RunDirectory(directory, env, method, seed);
        if (AgileReport.IsFinished(runDirectory))
        {
            var done = AgileReport.ReadRun(runDirectory);
            Console.Error.WriteLine(done.BudgetSteps == settings.StepBudget && done.EvaluateEvery == settings.EffectiveEvaluateEvery && done.EvaluationEpisodes == settings.EvaluationEpisodes
                ? $"{label} already finished in {runDirectory}; skipped"
                : string.Create(Invariant, $"{label} warning: {runDirectory} holds a finished run of another protocol ({done.BudgetSteps} steps, evaluation every {done.EvaluateEvery} on {done.EvaluationEpisodes} episodes); skipped, and the report lists it as its own row: choose another --out to run these settings"));
            return;
        }
        Directory.CreateDirectory(runDirectory);

        var training = AgileMethods.Build(method, env, seed);
        long budget = settings.StepBudget;
        var make = env.Factory();
        using var vector = new SyncVectorEnvironment(Enumerable.Range(0, training.Environments).Select(_ => training.Wrap(make())).ToArray(), AutoresetMode.SameStep);
        ulong evaluationSeed = EvaluationSeedBase + seed * 1_000;
        var train = new AgileEvaluator(env, training.Wrap, settings.EvaluationEpisodes, test: false, evaluationSeed);
        var test = env.HasTest ? new AgileEvaluator(env, training.Wrap, settings.EvaluationEpisodes, test: true, evaluationSeed + TestSeedOffset) : null;
        var tracker = new RunTracker(label, budget, settings.EffectiveEvaluateEvery, train, test, runDirectory);
        string description = env.Deviation is { } deviation ? $"{deviation}; {training.Description}" : training.Description;
        Console.Error.WriteLine($"{label} {description}");

        var watch = Stopwatch.StartNew();
        var agent = training.Fit(vector, Budget.Steps(budget), [tracker]);
        watch.Stop();
        tracker.Finish(agent);

        if (env.Name == AgileEnvironment.DigLava.Name && AgileAttention.HasAttention(method))
        {
            try
            {
                ExperimentOutput.WriteAtomically(Path.Combine(runDirectory, AgileReport.AttentionFile), AgileAttention.Render(agent, method, seed));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
            {
                Console.Error.WriteLine($"{label} warning: no attention graph: {e.Message}");
            }
        }

        var run = new AgileRun
        {
            Environment = env.Name,
            Method = method,
            Seed = seed,
            BudgetSteps = budget,
            EnvironmentSteps = tracker.Steps,
            EvaluateEvery = settings.EffectiveEvaluateEvery,
            EvaluationEpisodes = settings.EvaluationEpisodes,
            Seconds = watch.Elapsed.TotalSeconds + tracker.FinalEvaluationSeconds,
            EvaluationSeconds = tracker.EvaluationSeconds,
            Options = description,
            Evaluations = tracker.Points,
        };
        AgileReport.WriteRun(runDirectory, run);
        var last = run.Evaluations[^1];
        Console.Error.WriteLine(string.Create(Invariant,
            $"{label} done: {run.EnvironmentSteps} env steps in {run.Seconds:0.0} s ({run.Seconds - run.EvaluationSeconds:0.0} s training, {(run.Seconds - run.EvaluationSeconds) / Math.Max(1, run.EnvironmentSteps) * 1e6:0} µs per env step; {run.EvaluationSeconds:0.0} s in {run.Evaluations.Count} evaluations): train {last.Train:0.00}{(last.Test is { } t ? $", test {t:0.00}" : "")}{(last.Extra is { } x ? $", {env.ExtraName} {x:0.000}" : "")}"));
    }

    /// <summary>
    /// Follows one run: evaluates after the first update at or past each multiple of the evaluation interval and at the
    /// end, prints a line per evaluation and rewrites curve.csv after each; stops training once the budget is reached,
    /// so a PPO run never collects a rollout it will not train on.
    /// </summary>
    private sealed class RunTracker(string label, long budget, long every, AgileEvaluator train, AgileEvaluator? test, string directory)
        : ScheduledEvaluationTracker<AgilePoint>(budget, every, evaluateFirstUpdate: false)
    {
        private int _extraEpisodes;

        protected override long StepsOf(AgilePoint point) => point.Steps;

        protected override AgilePoint Score(IAgent agent)
        {
            var trainScore = train.Evaluate(agent);
            var testScore = test?.Evaluate(agent);
            _extraEpisodes = trainScore.ExtraEpisodes;
            return new AgilePoint(Steps, trainScore.MeanReturn, testScore?.MeanReturn, trainScore.Extra);
        }

        protected override void Record(AgilePoint point, TrainingUpdate? update)
        {
            AgileReport.WriteCurve(directory, Points);
            double elapsed = Clock.Elapsed.TotalSeconds;
            Console.Error.WriteLine(string.Create(Invariant,
                $"{label} {Steps}/{Budget} env steps: train {point.Train:0.00}{(point.Test is { } t ? $", test {t:0.00}" : "")}{(point.Extra is { } x ? $", extra {x:0.000} (of {_extraEpisodes})" : "")}{(update?.MeanReturn is { } r ? $" | training episodes {r:0.00}" : "")}{(update is null ? "" : " | " + string.Join(" ", update.Losses.Select(l => $"{l.Key}={l.Value:G3}")))} | {elapsed:0.0} s ({elapsed - EvaluationSeconds:0.0} s training, {EvaluationSeconds:0.0} s evaluating)"));
        }
    }
}
