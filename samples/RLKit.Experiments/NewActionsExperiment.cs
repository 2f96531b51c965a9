using System.Diagnostics;
using System.Globalization;
using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.Ppo;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Environments.Wrappers;
using RLKit.Spaces;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Experiments;

/// <summary>The new-actions and new-actions-report commands' options.</summary>
internal sealed record NewActionsSettings
{
    /// <summary>The environment; required by new-actions, optional for the report (every environment found).</summary>
    public NewActionsEnvironment? Environment { get; init; }
    /// <summary>The methods, or null for every method of the environment (the report: every method found).</summary>
    public IReadOnlyList<string>? Methods { get; init; }
    /// <summary>Seeds per method, or null for the paper's count (8 on the skill grid, 5 on the recommender).</summary>
    public int? Seeds { get; init; }
    public ulong FirstSeed { get; init; }
    /// <summary>Train the encoders once, with this seed, and share them across every policy seed (null: one encoder per policy seed).</summary>
    public ulong? EncoderSeed { get; init; }
    /// <summary>Environment steps per policy run, or null for the environment's default.</summary>
    public long? Steps { get; init; }
    /// <summary>Encoder training epochs (the paper: 10,000).</summary>
    public int EncoderEpochs { get; init; } = 20;
    /// <summary>Skill-grid trajectories per skill (the paper: 1024).</summary>
    public int TrajectoriesPerSkill { get; init; } = 64;
    /// <summary>Validate every this many environment steps (and at the end), or null for a tenth of the budget.</summary>
    public long? EvaluateEvery { get; init; }
    /// <summary>Greedy episodes per validation (model selection).</summary>
    public int ValidationEpisodes { get; init; } = 100;
    /// <summary>Greedy episodes of the final evaluation on train and on test actions.</summary>
    public int FinalEpisodes { get; init; } = 300;
    /// <summary>The engine's thread count, or null for every core.</summary>
    public int? Threads { get; init; }
    /// <summary>Skill grid: one fixed lava river instead of one per episode (a deviation).</summary>
    public bool FixedLava { get; init; }
    /// <summary>new-actions: where runs go; new-actions-report: where the report goes (default --in).</summary>
    public string? OutputDirectory { get; init; }
    /// <summary>new-actions-report: where the runs are (default runs/new-actions).</summary>
    public string? InputDirectory { get; init; }

    public NewActionsEnvironment Env => Environment ?? throw new InvalidOperationException("new-actions: --env was not given.");

    public int SeedCount => Seeds ?? (Env.HasSuccess ? 8 : 5);

    public long StepBudget => Steps ?? NewActionsExperiment.DefaultSteps(Env);

    public long EffectiveEvaluateEvery => EvaluateEvery ?? Math.Max(1, StepBudget / 10);
}

/// <summary>
/// Seed 003 ch. 2 (generalisation to new actions, Figs. 2.4–2.6) on the skill grid and the recommender. Per
/// environment and seed: (1) action observations, (2) the encoders trained on the training actions' observations
/// only (shared by the seed's methods, cached), (3) representations of every action written into each environment
/// copy's ActionSet, (4) PPO with per-episode subsampling of m training actions, (5) validation on held-out actions
/// every <see cref="NewActionsSettings.EffectiveEvaluateEvery"/> steps, keeping the best model (Algorithm 1, line 17),
/// (6) the best model evaluated zero-shot on train and on test actions. Each run writes
/// &lt;out&gt;/&lt;env&gt;/&lt;method&gt;/seed&lt;s&gt;/ (curve.csv, result.json, best.rlkit); a finished run is
/// skipped, so a stopped sweep resumes and processes with different --methods or --first-seed can share --out.
/// </summary>
internal static class NewActionsExperiment
{
    /// <summary>The default output (never docs/: results documents are written by hand from the report).</summary>
    public static readonly string DefaultDirectory = Path.Combine("runs", "new-actions");

    public const string BestModelFile = "best.rlkit";

    // Evaluation resets use seeds far from the training seeds; validation, train and test get their own ranges.
    private const ulong ValidationSeedBase = 1_000_000, TrainSeedBase = 1_500_000, TestSeedBase = 2_000_000;

    /// <summary>Evaluation copies stepped in lock step (episodes beyond it run in rounds).</summary>
    private const int EvaluationCopies = 50;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// The default policy budget per run (the paper's 4e7 steps are far out of reach), sized so that a full sweep of
    /// one environment fits in about 40 minutes of two cores as two --threads 1 processes. Measured on one engine
    /// thread with the library's UtilityPolicyHead, ActionSubsampling, NearestActionProjection and HVAE (a trial
    /// merge of the issue's branches): skill grid, about 100 µs per env step for the utility policy with m = 50,
    /// 610 µs without subsampling (m = 512), 134 µs nearest neighbour, 14 µs continuous, so 1.16 ms per budget step
    /// for the 7 methods of a seed; 409,600 steps × 8 seeds ≈ 3,800 s, plus about 60 s per encoder training of
    /// 20 epochs (16 of them) ≈ 40 min of two cores. With the hand-engineered representations the greedy validation
    /// success starts to rise after about 300,000 steps (0.14 at 442,000 of a 491,520-step run, seed 0), so a
    /// smaller budget shows next to nothing. Recommender: 1.4 ms (m = 500), 8.2 ms without subsampling (m = 5000),
    /// 1.5 ms nearest neighbour, 0.05 ms continuous: 12.5 ms per budget step for 5 methods; 64,000 steps × 5 seeds
    /// ≈ 4,000 s plus evaluations ≈ 36 min of two cores.
    /// </summary>
    public static long DefaultSteps(NewActionsEnvironment env) => env.HasSuccess ? 409_600 : 64_000;

    /// <summary>Steps per copy per PPO rollout: grid 64 (1024 rows per update), recommender 40 (two 20-step episodes, 640 rows).</summary>
    public static int StepsPerEnvironment(NewActionsEnvironment env) => env.HasSuccess ? 64 : 40;

    public static string RunDirectory(string directory, NewActionsEnvironment env, string method, ulong seed) =>
        Path.Combine(directory, env.Name, method, "seed" + seed.ToString(Invariant));

    public static int Run(NewActionsSettings settings)
    {
        var env = settings.Env;
        string directory = settings.OutputDirectory ?? DefaultDirectory;
        var methods = (settings.Methods ?? NewActionsMethod.On(env).Select(m => m.Name).ToList())
                      .Select(name => NewActionsMethod.Find(env, name) ?? throw new ArgumentException($"new-actions: {name} is not a {env.Name} method.")).ToList();
        Directory.CreateDirectory(directory);
        if (settings.Threads is { } threads) RLKit.Tensors.EngineSettings.MaxDegreeOfParallelism = threads;
        var total = Stopwatch.StartNew();
        Console.Error.WriteLine(string.Create(Invariant,
            $"new-actions: {env.Name}{(env.Deviation is { } deviation ? $" ({deviation})" : "")}, {methods.Count} method(s) × {settings.SeedCount} seed(s), {settings.StepBudget} env steps per run, validation every {settings.EffectiveEvaluateEvery} steps on {settings.ValidationEpisodes} episodes, final {settings.FinalEpisodes} episodes on train and test actions, encoders {settings.EncoderEpochs} epochs{(env.HasSuccess ? $" on {settings.TrajectoriesPerSkill} trajectories per skill" : "")}, {RLKit.Tensors.EngineSettings.MaxDegreeOfParallelism} engine thread(s), writing to {directory}"));

        for (ulong seed = settings.FirstSeed; seed < settings.FirstSeed + (ulong)settings.SeedCount; seed++)
        {
            var pending = methods.Where(m => !NewActionsReport.IsFinished(RunDirectory(directory, env, m.Name, seed))).ToList();
            foreach (var m in methods.Except(pending))
            {
                string runDirectory = RunDirectory(directory, env, m.Name, seed);
                var done = NewActionsReport.ReadRun(runDirectory);
                int encoderEpochs = m.Encoder == "given" ? 0 : settings.EncoderEpochs;
                Console.Error.WriteLine(done.BudgetSteps == settings.StepBudget && done.EncoderEpochs == encoderEpochs && done.Deviation == env.Deviation
                    ? $"[{m.Name} {env.Name} seed {seed}] already finished in {runDirectory}; skipped"
                    : string.Create(Invariant, $"[{m.Name} {env.Name} seed {seed}] warning: {runDirectory} holds a finished run of another protocol ({done.BudgetSteps} steps, {done.EncoderEpochs} encoder epochs{(done.Deviation is { } d ? $", {d}" : "")}); skipped, and the report lists it as its own row: choose another --out to run these settings"));
            }
            var representations = new Dictionary<string, float[]>();
            foreach (var encoder in pending.Select(m => m.Encoder).Distinct())
                representations[encoder] = NewActionsEncoders.Representations(env, encoder, settings.EncoderSeed ?? seed, settings, directory);
            foreach (var method in pending)
                RunOne(env, method, seed, representations[method.Encoder], settings, directory);
        }

        var runs = NewActionsReport.Select(NewActionsReport.ReadRuns(directory, env), methods.Select(m => m.Name).ToList());
        NewActionsReport.Print(Console.Out, env, runs);
        NewActionsReport.WriteOutputs(directory, directory, env, runs);
        Console.Error.WriteLine(string.Create(Invariant, $"new-actions: done in {total.Elapsed.TotalMinutes:0.0} min"));
        return 0;
    }

    /// <summary>The tables, RESULT lines and charts of every finished run in --in, written to --out (default --in).</summary>
    public static int Report(NewActionsSettings settings)
    {
        string input = settings.InputDirectory ?? DefaultDirectory;
        string output = settings.OutputDirectory ?? input;
        var environments = settings.Environment is { } env ? [env] : NewActionsEnvironment.All;
        int reported = 0;
        foreach (var e in environments)
        {
            var recorded = NewActionsReport.ReadRuns(input, e);
            if (recorded.Count == 0) continue;
            var found = recorded.Select(r => r.Method).Distinct().ToList();
            var order = settings.Methods ?? NewActionsMethod.On(e).Select(m => m.Name).Where(found.Contains).Concat(found.Order(StringComparer.Ordinal)).Distinct().ToList();
            var runs = NewActionsReport.Select(recorded, order);
            if (reported++ > 0) Console.Out.WriteLine();
            NewActionsReport.Print(Console.Out, e, runs);
            NewActionsReport.WriteOutputs(input, output, e, runs);
        }
        if (reported == 0)
        {
            Console.Error.WriteLine($"error: {input} holds no finished new-actions run (a directory <env>/<method>/seed<s> with {NewActionsReport.ResultFile})");
            return 2;
        }
        return 0;
    }

    private static void RunOne(NewActionsEnvironment env, NewActionsMethod method, ulong seed, float[] representations, NewActionsSettings settings, string directory)
    {
        string label = $"[{method.Name} {env.Name} seed {seed}]";
        string runDirectory = RunDirectory(directory, env, method.Name, seed);
        Directory.CreateDirectory(runDirectory);
        var (train, validation, test) = env.Split();
        int trainingM = method.Subsample ? env.ActionsPerEpisode : train.Length;
        int evaluationM = env.ActionsPerEpisode;
        var make = env.Factory();

        // Each copy has its own ActionSet (the skill grid and the recommender both build theirs per instance), so the
        // inferred representations are written into every copy before any network copies them.
        IEnvironment Copy(IReadOnlyList<int> pool, int m)
        {
            var raw = make();
            var set = (ActionSet)raw.ActionSpace;
            representations.CopyTo(set.Representations);
            var subsampled = new ActionSubsampling(raw, pool, m);
            return method.Policy == NewActionsPolicy.Continuous ? new NearestActionProjection(subsampled) : subsampled;
        }

        IAgent ForEvaluation(IAgent agent) => method.Policy == NewActionsPolicy.NearestNeighbour
            ? new NearestActionAgent((IActionSetAgent)agent, train, representations, env.RepresentationSize)
            : agent;

        var options = method.PpoOptions(env, seed, StepsPerEnvironment(env));
        var budget = settings.StepBudget;
        string description = (env.Deviation is { } deviation ? $"DEVIATION: {deviation}; " : "") + string.Create(Invariant,
            $"{method.Description}; encoder {method.Encoder}; m = {trainingM} training actions per episode (evaluation m = {evaluationM}); PPO lr {options.LearningRate} linear decay, entropy {options.EntropyCoefficient}, clip {options.ClipRange}, {options.Epochs} epochs of {NewActionsMethod.Environments * options.StepsPerEnvironment / options.MinibatchSize} minibatches of {options.MinibatchSize}, value coef {options.ValueCoefficient}, γ {options.Gamma}, λ {options.GaeLambda}, hidden [64, 64], {NewActionsMethod.Environments} envs × {options.StepsPerEnvironment} steps, seed {seed}");
        Console.Error.WriteLine($"{label} {description}");

        var validator = new NewActionsEvaluator(() => Copy(validation, evaluationM), settings.ValidationEpisodes, EvaluationCopies, ValidationSeedBase + seed * 10_000, env.HasSuccess);
        string bestPath = Path.Combine(runDirectory, BestModelFile);
        var tracker = new RunTracker(label, budget, settings.EffectiveEvaluateEvery, validator, ForEvaluation, bestPath, runDirectory);
        using var vector = new SyncVectorEnvironment(Enumerable.Range(0, NewActionsMethod.Environments).Select(_ => Copy(train, trainingM)).ToArray(), AutoresetMode.SameStep);
        var estimator = new PpoEstimator(options, [tracker]);
        if (method.Policy == NewActionsPolicy.Utility) estimator = estimator.WithUtilityPolicy();

        var watch = Stopwatch.StartNew();
        var agent = estimator.Fit(vector, Budget.Steps(budget));
        double trainingSeconds = watch.Elapsed.TotalSeconds;
        tracker.Finish(agent);
        // Algorithm 1, line 17: the model with the best validation score is the one evaluated.
        if (File.Exists(bestPath)) Checkpoint.LoadInto((ICheckpointable)agent, bestPath);
        var evaluated = ForEvaluation(agent);
        var final = Stopwatch.StartNew();
        var trainScore = new NewActionsEvaluator(() => Copy(train, trainingM), settings.FinalEpisodes, EvaluationCopies, TrainSeedBase + seed * 10_000, env.HasSuccess).Evaluate(evaluated);
        var testScore = new NewActionsEvaluator(() => Copy(test, evaluationM), settings.FinalEpisodes, EvaluationCopies, TestSeedBase + seed * 10_000, env.HasSuccess).Evaluate(evaluated);
        double finalSeconds = final.Elapsed.TotalSeconds;

        var run = new NewActionsRun
        {
            Environment = env.Name,
            Deviation = env.Deviation,
            Method = method.Name,
            Seed = seed,
            Encoder = method.Encoder,
            Policy = method.Policy.ToString(),
            TrainingActionsPerEpisode = trainingM,
            EvaluationActionsPerEpisode = evaluationM,
            EntropyCoefficient = options.EntropyCoefficient,
            BudgetSteps = budget,
            EnvironmentSteps = tracker.Steps,
            EvaluateEvery = settings.EffectiveEvaluateEvery,
            ValidationEpisodes = settings.ValidationEpisodes,
            FinalEpisodes = settings.FinalEpisodes,
            EncoderEpochs = method.Encoder == "given" ? 0 : settings.EncoderEpochs,
            EncoderSeed = method.Encoder == "given" ? null : settings.EncoderSeed ?? seed,
            TrajectoriesPerSkill = env.HasSuccess && method.Encoder != "given" ? settings.TrajectoriesPerSkill : 0,
            BestSteps = tracker.BestSteps,
            BestValidation = tracker.BestScore,
            Train = trainScore.Score,
            Test = testScore.Score,
            TrainReturn = trainScore.MeanReturn,
            TestReturn = testScore.MeanReturn,
            TrainRewardPerStep = trainScore.RewardPerStep,
            TestRewardPerStep = testScore.RewardPerStep,
            Seconds = trainingSeconds + tracker.FinalEvaluationSeconds + finalSeconds,
            EvaluationSeconds = tracker.EvaluationSeconds + tracker.FinalEvaluationSeconds + finalSeconds,
            Options = description,
            Curve = tracker.Points,
        };
        NewActionsReport.WriteRun(runDirectory, run);
        Console.Error.WriteLine(string.Create(Invariant,
            $"{label} done: {run.EnvironmentSteps} env steps in {run.Seconds:0.0} s ({trainingSeconds - tracker.EvaluationSeconds:0.0} s training, {(trainingSeconds - tracker.EvaluationSeconds) / Math.Max(1, run.EnvironmentSteps) * 1e6:0} µs per env step; {run.EvaluationSeconds:0.0} s evaluating); best validation {run.BestValidation:0.000} at {run.BestSteps} steps; train {run.Train:0.000}, test {run.Test:0.000} ({env.ScoreName})"));
    }

    /// <summary>
    /// Follows one run: validates after the first update at or past each multiple of the interval (timed), keeps the
    /// best model so far (strictly better validation score: ties keep the earlier model), rewrites curve.csv after
    /// each validation, and stops training once the budget is reached. The library's EvaluationCallback(keepBest)
    /// does the same selection, but evaluates the training agent itself (the nearest-neighbour baseline is evaluated
    /// through its nearest-action mapping), on mean return only (the skill grid selects on success), and continues
    /// its environment's random stream (these validations replay the same episodes every time, so scores compare).
    /// </summary>
    private sealed class RunTracker(string label, long budget, long every, NewActionsEvaluator validator, Func<IAgent, IAgent> forEvaluation,
                                    string bestPath, string directory) : ITrainingCallback
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Stopwatch _evaluationClock = new();
        private long _next;
        private double? _trainingReturn;

        public long Steps { get; private set; }
        public List<NewActionsPoint> Points { get; } = [];
        public double BestScore { get; private set; } = double.NegativeInfinity;
        public long BestSteps { get; private set; }
        public double EvaluationSeconds => _evaluationClock.Elapsed.TotalSeconds;
        public double FinalEvaluationSeconds { get; private set; }

        public void OnUpdate(TrainingUpdate update, TrainingControl control)
        {
            Steps = update.Steps;
            if (update.MeanReturn is { } r) _trainingReturn = r;
            if (update.Steps >= budget) control.Stop($"{budget} env steps done");
            if (_next == 0) _next = every;
            if (update.Steps < _next) return;
            while (_next <= update.Steps) _next += every;
            Validate(control.Agent, update);
        }

        /// <summary>The validation at the end, unless the last update already had one.</summary>
        public void Finish(IAgent agent)
        {
            if (Points.Count > 0 && Points[^1].Steps == Steps) return;
            var clock = Stopwatch.StartNew();
            Validate(agent, null);
            FinalEvaluationSeconds = clock.Elapsed.TotalSeconds;
        }

        private void Validate(IAgent agent, TrainingUpdate? update)
        {
            _evaluationClock.Start();
            var score = validator.Evaluate(forEvaluation(agent));
            bool best = score.Score > BestScore;
            if (best)
            {
                BestScore = score.Score;
                BestSteps = Steps;
                Checkpoint.Save((ICheckpointable)agent, bestPath, notes: new Dictionary<string, string>
                {
                    ["steps"] = Steps.ToString(Invariant),
                    ["validation_score"] = score.Score.ToString("R", Invariant),
                });
            }
            _evaluationClock.Stop();
            Points.Add(new NewActionsPoint(Steps, score.Score, score.MeanReturn, _trainingReturn));
            NewActionsReport.WriteCurve(directory, Points);
            double elapsed = _clock.Elapsed.TotalSeconds;
            Console.Error.WriteLine(string.Create(Invariant,
                $"{label} {Steps}/{budget} env steps: validation {score.Score:0.000} (return {score.MeanReturn:0.00}){(best ? " *best*" : "")}{(_trainingReturn is { } t ? $" | training episodes {t:0.00}" : "")}{(update is null ? "" : " | " + string.Join(" ", update.Losses.Select(l => $"{l.Key}={l.Value:G3}")))} | {elapsed:0.0} s ({elapsed - EvaluationSeconds:0.0} s training, {EvaluationSeconds:0.0} s evaluating)"));
        }
    }
}
