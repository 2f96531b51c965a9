using System.Diagnostics;
using System.Globalization;
using RLKit.Training;
using RLKit.Training.Callbacks;
using RLKit.Training.Checkpoints;
using RLKit.Training.Evaluation;
using RLKit.Training.Metrics;

namespace RLKit.Experiments;

/// <summary>The qmp and qmp-report commands' options.</summary>
internal sealed record QmpSettings
{
    /// <summary>The environment; null until --env is given (both commands need it).</summary>
    public QmpEnvironment? Environment { get; init; }
    /// <summary>The methods, or null for every method defined on the environment (qmp-report: every method in --out).</summary>
    public IReadOnlyList<string>? Methods { get; init; }
    public int Seeds { get; init; } = 5;
    public ulong FirstSeed { get; init; }
    /// <summary>Iterations (the paper's updates) per run; the reference code's 2,000 by default.</summary>
    public int Iterations { get; init; } = QmpExperiment.PaperIterations;
    /// <summary>Evaluate every this many iterations' worth of environment steps (and at the end).</summary>
    public int EvaluateEvery { get; init; } = 10;
    public int EvaluationEpisodes { get; init; } = 10;
    /// <summary>The engine's thread count (EngineSettings.MaxDegreeOfParallelism), or null for every core.</summary>
    public int? Threads { get; init; }
    /// <summary>The output directory, or null for runs/qmp/&lt;env&gt;.</summary>
    public string? OutputDirectory { get; init; }

    public QmpEnvironment Env => Environment ?? throw new InvalidOperationException("qmp: --env was not given.");
    public string EffectiveOutputDirectory => OutputDirectory ?? Path.Combine("runs", "qmp", Env.Name);
}

/// <summary>
/// Seed 002's experiments (QMP, Figs. 4–6): per environment, method and seed, a multi-task SAC run of
/// <see cref="QmpSettings.Iterations"/> iterations on the environment's task set (maze: 10 tasks, reacher: 5), with
/// every task's greedy policy evaluated on 10 episodes of its task every few iterations and at the end. Each run
/// writes its own directory &lt;out&gt;/&lt;method&gt;/seed&lt;s&gt; (progress.csv, eval.csv, selection.csv, run.csv,
/// agent.rlkit), so runs of one environment can be split over processes; the report reads every finished run in --out.
/// </summary>
internal static class QmpExperiment
{
    /// <summary>The reference code's n_epochs for both environments (clvrai/qmp run.py).</summary>
    public const int PaperIterations = 2000;

    // Evaluation resets use seeds far from the training seeds so no evaluation replays a training episode's start.
    private const ulong EvaluationSeedBase = 1_000_000;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static int Run(QmpSettings settings)
    {
        var env = settings.Env;
        string directory = settings.EffectiveOutputDirectory;
        var methods = settings.Methods ?? QmpMethods.DefinedOn(env);
        Directory.CreateDirectory(directory);
        if (Incompatibility(QmpReport.ReadRuns(directory, env), settings) is { } error)
        {
            Console.Error.WriteLine($"error: {error}");
            return 2;
        }
        if (settings.Threads is { } threads) RLKit.Tensors.EngineSettings.MaxDegreeOfParallelism = threads;
        var total = Stopwatch.StartNew();
        Console.Error.WriteLine(string.Create(Invariant,
            $"qmp: {env.Name} ({env.TaskSetId}), {methods.Count} method(s) × {settings.Seeds} seed(s), {settings.Iterations} iterations per run, evaluation every {settings.EvaluateEvery} iterations' worth of steps and at the end ({settings.EvaluationEpisodes} greedy episodes per task), {RLKit.Tensors.EngineSettings.MaxDegreeOfParallelism} engine thread(s), writing to {directory}"));
        if (settings.Methods is null && QmpMethods.Names.Except(methods).ToList() is { Count: > 0 } skipped)
            Console.Error.WriteLine($"qmp: not run on {env.Name}: {string.Join(", ", skipped.Select(m => $"{m} ({QmpMethods.WhyUndefined(m, env)})"))}");

        for (ulong seed = settings.FirstSeed; seed < settings.FirstSeed + (ulong)settings.Seeds; seed++)
        {
            foreach (var method in methods)
                RunOne(env, method, seed, settings, directory);
        }

        var runs = QmpReport.Select(QmpReport.ReadRuns(directory, env), methods);
        QmpReport.Print(Console.Out, env, runs);
        QmpReport.WriteOutputs(directory, env, runs);
        Console.Error.WriteLine(string.Create(Invariant, $"qmp: done in {total.Elapsed.TotalMinutes:0.0} min"));
        return 0;
    }

    /// <summary>
    /// The tables, RESULT lines, charts and summary CSV of every finished run in --out (e.g. runs made by several
    /// processes at once, or a sweep in parts); --methods, when given, selects and orders them.
    /// </summary>
    public static int Report(QmpSettings settings)
    {
        var env = settings.Env;
        string directory = settings.EffectiveOutputDirectory;
        var recorded = QmpReport.ReadRuns(directory, env);
        if (recorded.Count == 0)
        {
            Console.Error.WriteLine($"error: {directory} holds no finished {env.Name} run (a run directory <method>/seed<s> with {QmpReport.RunFile})");
            return 2;
        }
        var runs = QmpReport.Select(recorded, settings.Methods ?? recorded.Select(r => r.Method).Distinct().ToList());
        QmpReport.Print(Console.Out, env, runs);
        QmpReport.WriteOutputs(directory, env, runs);
        return 0;
    }

    /// <summary>A run's directory: &lt;out&gt;/&lt;method&gt;/seed&lt;s&gt;.</summary>
    public static string RunDirectory(string directory, string method, ulong seed) =>
        Path.Combine(directory, method, "seed" + seed.ToString(Invariant));

    /// <summary>
    /// Runs in one directory share a protocol: why the finished runs already there (of another iteration count or
    /// evaluation schedule) must not be mixed with these settings, or null when they may.
    /// </summary>
    private static string? Incompatibility(IReadOnlyList<QmpRun> runs, QmpSettings settings) =>
        runs.FirstOrDefault(r => r.Iterations != settings.Iterations || r.EvaluateEvery != settings.EvaluateEvery || r.EvaluationEpisodes != settings.EvaluationEpisodes)
            is { } run
            ? string.Create(Invariant,
                $"{settings.EffectiveOutputDirectory} already holds runs of {run.Iterations} iterations evaluated every {run.EvaluateEvery} on {run.EvaluationEpisodes} episodes per task (e.g. {run.Method} seed {run.Seed}), but these settings ask for {settings.Iterations}, every {settings.EvaluateEvery}, {settings.EvaluationEpisodes}: choose another --out.")
            : null;

    private static void RunOne(QmpEnvironment env, string method, ulong seed, QmpSettings settings, string directory)
    {
        string label = $"[{method} {env.Name} seed {seed}]";
        string runDirectory = RunDirectory(directory, method, seed);
        Directory.CreateDirectory(runDirectory);
        // A run is finished once run.csv exists: drop an old one first, so a repeated run that is stopped is not read as finished.
        File.Delete(Path.Combine(runDirectory, QmpReport.RunFile));

        var training = QmpMethods.Build(method, env, seed);
        var taskSet = env.CreateTaskSet();
        int tasks = taskSet.TaskCount;
        long stepsPerIteration = (long)tasks * training.EnvStepsPerUpdate;
        // The run stops after its iterations (the tracker); this step budget is a safety net twice what they take.
        long stepBudget = 2 * ((long)tasks * training.MinBufferSize + stepsPerIteration * settings.Iterations);

        using var sink = new CsvMetricSink(Path.Combine(runDirectory, "progress.csv"));
        using var evaluation = new TaskSetEvaluationCallback(taskSet, everySteps: settings.EvaluateEvery * stepsPerIteration,
                                                             settings.EvaluationEpisodes, sink, deterministic: true,
                                                             seed: EvaluationSeedBase + seed * 1_000);
        var tracker = new RunTracker(label, settings.Iterations, tasks, evaluation, runDirectory);
        var metrics = new MetricSinkCallback(sink);
        TrainingUpdate? final = null;
        Console.Error.WriteLine($"{label} {training.Description}");

        var watch = Stopwatch.StartNew();
        var agent = training.Fit(taskSet, Budget.Steps(stepBudget), [tracker, metrics], new InlineProgress(u => final = u));
        watch.Stop();
        if (final is null) throw new InvalidOperationException($"{label}: training reported no final update.");
        metrics.Write(final);
        tracker.Finish(agent, final);
        if (tracker.Iterations < settings.Iterations)
            Console.Error.WriteLine(string.Create(Invariant,
                $"{label} warning: training stopped after {tracker.Iterations} of {settings.Iterations} iterations ({final.Steps} steps); the run records {tracker.Iterations}."));
        if (agent is ICheckpointable checkpointable)
            Checkpoint.Save(checkpointable, Path.Combine(runDirectory, "agent.rlkit"));

        var run = new QmpRun(env.Name, method, seed, tracker.Iterations, final.Steps, settings.EvaluateEvery, settings.EvaluationEpisodes,
                             watch.Elapsed.TotalSeconds + tracker.FinalEvaluationSeconds, tracker.EvaluationSeconds, training.Description,
                             taskSet.TaskIds, tracker.Evaluations, tracker.Selection());
        QmpReport.WriteRun(runDirectory, run);
        Console.Error.WriteLine(string.Create(Invariant,
            $"{label} done: {run.Iterations} iterations, {run.EnvironmentSteps} env steps, final success {run.Final.SuccessRate:0.00} ({run.Final.TasksSolved}/{tasks} tasks ≥ {QmpReport.SolvedThreshold}), {run.Seconds:0} s: {run.SecondsPerIteration:0.00} s per iteration (first {tracker.FirstIterationSeconds:0.0} s{(run.Iterations > 1 ? string.Create(Invariant, $", then {(run.SecondsPerIteration * run.Iterations - tracker.FirstIterationSeconds) / (run.Iterations - 1):0.00} s each") : "")}), {run.SecondsPerEvaluation:0.0} s per evaluation"));
    }

    /// <summary>Reports training progress synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class InlineProgress(Action<TrainingUpdate> report) : IProgress<TrainingUpdate>
    {
        public void Report(TrainingUpdate value) => report(value);
    }

    /// <summary>
    /// Follows one run: counts iterations (one per update) and stops training after the budget; evaluates through the
    /// <see cref="TaskSetEvaluationCallback"/> (timed, so training and evaluation time are told apart), prints one line
    /// per evaluation and rewrites eval.csv after each; averages the QMP selection proportions over training, each
    /// iteration weighted by its environment steps.
    /// </summary>
    private sealed class RunTracker(string label, int iterations, int tasks, TaskSetEvaluationCallback evaluation, string directory) : ITrainingCallback
    {
        private const string SelectionPrefix = "selection/";

        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Stopwatch _evaluationClock = new();
        private readonly double[,] _selection = new double[tasks, tasks];
        private double _selectionWeight;
        private long _previousSteps;

        public int Iterations { get; private set; }
        public double EvaluationSeconds => _evaluationClock.Elapsed.TotalSeconds;
        public double FinalEvaluationSeconds { get; private set; }
        public double FirstIterationSeconds { get; private set; }
        public List<QmpEvaluation> Evaluations { get; } = [];

        public void OnUpdate(TrainingUpdate update, TrainingControl control)
        {
            Iterations = (int)update.Updates;
            if (Iterations == 1) FirstIterationSeconds = _clock.Elapsed.TotalSeconds;
            AddSelection(update);
            if (Iterations >= iterations) control.Stop($"{iterations} iterations done");
            int before = evaluation.History.Count;
            _evaluationClock.Start();
            evaluation.OnUpdate(update, control);
            _evaluationClock.Stop();
            if (evaluation.History.Count > before) Record(update.Steps);
            else if (Iterations <= 2) Print(update.Steps, null);
        }

        /// <summary>The evaluation at the end (unless the last update already had one), timed like the others.</summary>
        public void Finish(RLKit.Training.IAgent agent, TrainingUpdate final)
        {
            int before = evaluation.History.Count;
            var clock = Stopwatch.StartNew();
            _evaluationClock.Start();
            evaluation.Evaluate(agent, final.Steps);
            _evaluationClock.Stop();
            FinalEvaluationSeconds = clock.Elapsed.TotalSeconds;
            if (evaluation.History.Count > before) Record(final.Steps);
        }

        /// <summary>The step-weighted mean selection matrix, or null when the method reported none (not a QMP method).</summary>
        public double[,]? Selection()
        {
            if (_selectionWeight == 0) return null;
            var mean = new double[tasks, tasks];
            for (int i = 0; i < tasks; i++)
                for (int j = 0; j < tasks; j++) mean[i, j] = _selection[i, j] / _selectionWeight;
            return mean;
        }

        private void AddSelection(TrainingUpdate update)
        {
            long steps = update.Steps - _previousSteps;
            _previousSteps = update.Steps;
            bool any = false;
            foreach (var (name, value) in update.Losses)
            {
                if (!name.StartsWith(SelectionPrefix, StringComparison.Ordinal)) continue;
                var parts = name[SelectionPrefix.Length..].Split('/');
                if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, Invariant, out int i) || !int.TryParse(parts[1], NumberStyles.None, Invariant, out int j)
                    || i >= tasks || j >= tasks)
                    throw new InvalidDataException($"{label}: unexpected selection entry '{name}' for {tasks} tasks.");
                _selection[i, j] += value * steps;
                any = true;
            }
            if (any) _selectionWeight += steps;
        }

        private void Record(long steps)
        {
            var report = evaluation.History[^1].Report;
            Evaluations.Add(new QmpEvaluation(Iterations, steps, report.Tasks.Select(t => t.SuccessRate).ToArray(),
                                              report.Tasks.Select(t => t.MeanReturn).ToArray()));
            QmpReport.WriteEvaluations(directory, Evaluations);
            Print(steps, report);
        }

        private void Print(long steps, TaskSetEvaluationReport? report)
        {
            double elapsed = _clock.Elapsed.TotalSeconds, training = elapsed - EvaluationSeconds;
            string timing = string.Create(Invariant,
                $"{elapsed:0.0} s ({training / Math.Max(1, Iterations):0.00} s per iteration training{(Iterations > 1 ? string.Create(Invariant, $", {(training - FirstIterationSeconds) / (Iterations - 1):0.00} after the first") : "")}{(Evaluations.Count > 0 ? string.Create(Invariant, $", {EvaluationSeconds / Evaluations.Count:0.0} s per evaluation") : "")})");
            string what = report is null
                ? "no evaluation"
                : string.Create(Invariant,
                    $"success {report.SuccessRate:0.00} ({report.TasksSolved(QmpReport.SolvedThreshold)} tasks ≥ {QmpReport.SolvedThreshold}; per task {string.Join(" ", report.Tasks.Select(t => t.SuccessRate.ToString("0.0", Invariant)))}), return {report.MeanReturn:0.0}");
            Console.Error.WriteLine(string.Create(Invariant, $"{label} iteration {Iterations}/{iterations}, {steps} env steps: {what} | {timing}"));
        }
    }
}
