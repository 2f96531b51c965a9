using System.Diagnostics;
using System.Globalization;
using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.MixMask;
using RLKit.Algorithms.Ppo;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Evaluation;

namespace RLKit.Experiments;

/// <summary>The mixmask command's options.</summary>
internal sealed record MixMaskSettings
{
    public int Seeds { get; init; } = 5;
    public ulong FirstSeed { get; init; }
    public int Episodes { get; init; } = 100;
    public int EvaluationEpisodes { get; init; } = 100;
    public IReadOnlyList<string> Variants { get; init; } = MixMaskVariants.Names;
    public string OutputDirectory { get; init; } = Path.Combine("runs", "mixmask");
    /// <summary>Temperature α, its decay τ and the Gaussian mechanisms' divergence, when the command line sets them.</summary>
    public MechanismOverrides Mechanisms { get; init; } = new();
    /// <summary>Adam's learning rates, one grid axis (null: the protocol's own, 1e-2 for A2C and 1e-3 for PPO).</summary>
    public IReadOnlyList<float>? LearningRates { get; init; }
    /// <summary>The initial ε of the ε-greedy exploration, the other grid axis (A2C only; null: the paper's 1.0).</summary>
    public IReadOnlyList<float>? InitialEpsilons { get; init; }
    public float SolvedThreshold { get; init; } = 495;
    /// <summary>Orthogonal weights and zero biases instead of the paper's N(0, 0.1) weights and 0.1 biases (a deviation, for diagnosis).</summary>
    public bool OrthogonalInitialization { get; init; }
    /// <summary>"a2c" (the paper's protocol) or "ppo" (the same networks under PPO).</summary>
    public string Algorithm { get; init; } = MixMaskExperiment.A2c;
    /// <summary>PPO's budget in environment steps.</summary>
    public long Steps { get; init; } = 100_000;
    /// <summary>PPO evaluates every this many environment steps (A2C after every episode).</summary>
    public long EvaluateEvery { get; init; } = 10_000;
    /// <summary>The engine's thread count (EngineSettings.MaxDegreeOfParallelism), or null for every core.</summary>
    public int? Threads { get; init; }

    public bool IsPpo => Algorithm == MixMaskExperiment.Ppo;
}

/// <summary>
/// One training run: its evaluation after every training episode (A2C) or every --eval-every steps (PPO), the
/// environment steps at each evaluation, the actor–critic feature similarity by layer at the start and at each
/// evaluation (separated and shared layouts; Fig. 1), and when (if) it solved CartPole.
/// </summary>
internal sealed record MixMaskRun(string Variant, ulong Seed, string Network, IReadOnlyList<double> CartPole, IReadOnlyList<double> NonStationary,
                                  int? SolvedAt, double Seconds)
{
    public string Algorithm { get; init; } = MixMaskExperiment.A2c;
    public float LearningRate { get; init; } = MixMaskExperiment.PaperLearningRate;
    public float InitialEpsilon { get; init; } = MixMaskExperiment.PaperInitialEpsilon;
    /// <summary>Environment steps at each evaluation (empty in CSVs written before issue 18).</summary>
    public IReadOnlyList<long> Steps { get; init; } = [];
    /// <summary>Per evaluation (index 0: before training), the mean cosine similarity of the two sides' features by layer.</summary>
    public IReadOnlyList<IReadOnlyList<double>> Similarities { get; init; } = [];

    public int EpisodesRun => CartPole.Count;
    public double FinalCartPole => CartPole.Count > 0 ? CartPole[^1] : double.NaN;
    public double FinalNonStationary => NonStationary.Count > 0 ? NonStationary[^1] : double.NaN;
    /// <summary>The cell of the learning-rate × ε grid this run belongs to.</summary>
    public MixMaskCell Cell => new(Algorithm, Variant, LearningRate, InitialEpsilon);
}

/// <summary>A row of the report: one network under one algorithm, learning rate and initial ε.</summary>
internal readonly record struct MixMaskCell(string Algorithm, string Variant, float LearningRate, float InitialEpsilon);

/// <summary>
/// Seed 000's protocol (§5, Figs. 4–7): A2C with the paper's options on one CartPole-v1, one episode per update; after
/// each episode the greedy agent is evaluated on CartPole-v1 (CP) and NonStationaryCartPole-v1 (nCP) and training stops
/// once the CP mean reaches the solved threshold, or after the episode budget. With --algorithm ppo the same networks
/// train under PPO (8 environments, the RL Zoo's CartPole settings) and are evaluated every --eval-every steps.
/// </summary>
internal static class MixMaskExperiment
{
    public const string A2c = "a2c";
    public const string Ppo = "ppo";
    public const float PaperLearningRate = 1e-2f;
    public const float PaperInitialEpsilon = 1f;
    /// <summary>PPO's learning rate when none is given: the RL Zoo's CartPole-v1 value (linearly decayed there, constant here).</summary>
    public const float PpoLearningRate = 1e-3f;
    private const string CartPoleId = "CartPole-v1";
    private const string NonStationaryId = "NonStationaryCartPole-v1";
    // Evaluation resets use seeds far from the training seeds so no evaluation copy replays a training episode's start.
    private const ulong EvaluationSeedBase = 1_000_000;
    // The untrained network whose feature similarity is the "before" of Fig. 1 is an independent draw, as in the paper.
    private const ulong UntrainedSeedBase = 2_000_000;

    public static int Run(MixMaskSettings settings)
    {
        Directory.CreateDirectory(settings.OutputDirectory);
        if (settings.Threads is { } threads) EngineSettings.MaxDegreeOfParallelism = threads;
        var catalog = StandardEnvironments.CreateCatalog();
        // Runs already in --out are kept and not repeated, so a stopped sweep resumes where it stopped.
        var runs = File.Exists(Path.Combine(settings.OutputDirectory, MixMaskReport.RunsFile)) ? MixMaskReport.ReadCsv(settings.OutputDirectory) : [];
        var total = Stopwatch.StartNew();
        var rates = settings.LearningRates ?? [settings.IsPpo ? PpoLearningRate : PaperLearningRate];
        var epsilons = settings.InitialEpsilons ?? [PaperInitialEpsilon];
        Console.Error.WriteLine(FormattableString.Invariant(
            $"mixmask: {settings.Algorithm}, {(settings.OrthogonalInitialization ? "orthogonal initialisation (not the paper's), " : "")}learning rate(s) {string.Join(",", rates)}, initial ε {string.Join(",", epsilons)}, {settings.Variants.Count} variant(s) × {settings.Seeds} seed(s), {(settings.IsPpo ? $"{settings.Steps} steps, evaluation every {settings.EvaluateEvery}" : $"≤ {settings.Episodes} episodes")}, {settings.EvaluationEpisodes} evaluation episodes per environment, solved at CP ≥ {settings.SolvedThreshold}, {EngineSettings.MaxDegreeOfParallelism} engine thread(s), {runs.Count} run(s) already in {settings.OutputDirectory}"));

        var selected = new List<MixMaskRun>();
        foreach (var rate in rates)
        foreach (var epsilon in epsilons)
        foreach (var variant in settings.Variants)
        {
            for (ulong seed = settings.FirstSeed; seed < settings.FirstSeed + (ulong)settings.Seeds; seed++)
            {
                var cell = new MixMaskCell(settings.Algorithm, variant, rate, epsilon);
                var done = runs.FirstOrDefault(r => r.Cell == cell && r.Seed == seed);
                if (done is null)
                {
                    done = RunOne(catalog, cell, seed, settings);
                    runs.Add(done);
                    // Written after every run so a long sweep that is stopped keeps what it finished.
                    MixMaskReport.WriteCsv(settings.OutputDirectory, runs);
                }
                selected.Add(done);
            }
        }

        MixMaskReport.Print(Console.Out, selected, settings);
        MixMaskReport.WriteCharts(settings.OutputDirectory, selected, settings);
        Console.Error.WriteLine(FormattableString.Invariant($"mixmask: done in {total.Elapsed.TotalMinutes:0.0} min"));
        return 0;
    }

    /// <summary>
    /// The table, statistics, RESULT lines and charts of the runs recorded in --out's CSVs (e.g. of a stopped sweep);
    /// --variants, when given, selects and orders the variants, --lr and --eps select grid cells, --episodes must be
    /// the sweep's budget.
    /// </summary>
    public static int Report(MixMaskSettings settings)
    {
        var recorded = MixMaskReport.ReadCsv(settings.OutputDirectory);
        var runs = settings.Variants.SelectMany(v => recorded.Where(r => r.Variant == v
                                                                        && (settings.LearningRates?.Contains(r.LearningRate) ?? true)
                                                                        && (settings.InitialEpsilons?.Contains(r.InitialEpsilon) ?? true))).ToList();
        MixMaskReport.Print(Console.Out, runs, settings);
        MixMaskReport.WriteCharts(settings.OutputDirectory, runs, settings);
        return 0;
    }

    private static MixMaskRun RunOne(EnvironmentCatalog catalog, MixMaskCell cell, ulong seed, MixMaskSettings settings)
    {
        var paperNetwork = new SharedFeatureOptions { PaperInitialization = !settings.OrthogonalInitialization };
        var network = MixMaskVariants.Build(cell.Variant, paperNetwork, settings.Mechanisms);
        string description = network.ToString();
        using var cartPole = MakeCopies(catalog, CartPoleId, settings.EvaluationEpisodes);
        using var nonStationary = MakeCopies(catalog, NonStationaryId, settings.EvaluationEpisodes);
        var untrained = new SharedFeatureNetwork(4, (latent, rng) => PolicyHeads.OnPolicy(new Discrete(2), latent, rng),
                                                 new RandomGenerator(UntrainedSeedBase + seed), network);
        var callback = new Evaluation(cell, seed, cartPole, nonStationary, settings, FeatureSimilarity.ProbeStates(catalog, CartPoleId), untrained);
        var watch = Stopwatch.StartNew();
        if (settings.IsPpo)
        {
            using var training = MakeCopies(catalog, CartPoleId, 8);
            new PpoEstimator(PpoProtocol(seed, cell.LearningRate, network), [callback]).Fit(training, Budget.Steps(settings.Steps));
        }
        else
        {
            using var training = new SyncVectorEnvironment([catalog.Make(CartPoleId)], AutoresetMode.SameStep);
            var options = MixMaskA2c.PaperOptions(seed) with
            {
                LearningRate = cell.LearningRate,
                ExplorationEpsilon = cell.InitialEpsilon,
                SharedFeatures = network,
            };
            new A2cEstimator(options, [callback]).Fit(training, Budget.Episodes(settings.Episodes));
        }
        watch.Stop();
        Console.Error.WriteLine(FormattableString.Invariant(
            $"[{Label(cell)} seed {seed}] {(callback.SolvedAt is { } e ? $"solved at evaluation {e}" : $"not solved in {callback.CartPole.Count} evaluations")}, {watch.Elapsed.TotalSeconds:0.0} s ({description})"));
        return new MixMaskRun(cell.Variant, seed, description, callback.CartPole, callback.NonStationary, callback.SolvedAt, watch.Elapsed.TotalSeconds)
        {
            Algorithm = cell.Algorithm,
            LearningRate = cell.LearningRate,
            InitialEpsilon = cell.InitialEpsilon,
            Steps = callback.Steps,
            Similarities = callback.Similarities,
        };
    }

    /// <summary>
    /// PPO on CartPole-v1 as the RL Zoo tunes it (8 environments × 32 steps, minibatch 256, 20 epochs, γ = 0.98,
    /// λ = 0.8, clip 0.2, no entropy bonus), with a constant learning rate so that the grid's rates mean the same
    /// thing throughout, and the paper's networks.
    /// </summary>
    internal static PpoOptions PpoProtocol(ulong seed, float learningRate, SharedFeatureOptions network) => new()
    {
        Seed = seed,
        LearningRate = learningRate,
        StepsPerEnvironment = 32,
        MinibatchSize = 256,
        Epochs = 20,
        Gamma = 0.98f,
        GaeLambda = 0.8f,
        ClipRange = 0.2f,
        EntropyCoefficient = 0f,
        SharedFeatures = network,
    };

    internal static string Label(MixMaskCell cell) =>
        FormattableString.Invariant($"{cell.Variant} {cell.Algorithm} lr={cell.LearningRate:G3} ε0={cell.InitialEpsilon:G3}");

    private static SyncVectorEnvironment MakeCopies(EnvironmentCatalog catalog, string id, int count) =>
        new(Enumerable.Range(0, count).Select(_ => catalog.Make(id)).ToArray(), AutoresetMode.SameStep);

    /// <summary>
    /// Evaluates on CP and nCP after every update (A2C: one training episode under the paper's options) or once every
    /// --eval-every steps (PPO), measures the actor–critic feature similarity, and stops once CP is solved.
    /// </summary>
    private sealed class Evaluation(MixMaskCell cell, ulong seed, IVectorEnvironment cartPole, IVectorEnvironment nonStationary,
                                    MixMaskSettings settings, Tensor probeStates, SharedFeatureNetwork untrained) : ITrainingCallback
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private long _lastEpisodes;
        private long _nextEvaluation = settings.EvaluateEvery;

        public List<double> CartPole { get; } = [];
        public List<double> NonStationary { get; } = [];
        public List<long> Steps { get; } = [];
        // Index 0 is an untrained network of the same options (the paper compares independent untrained and trained models).
        public List<IReadOnlyList<double>> Similarities { get; } = [FeatureSimilarity.ByLayer(untrained, probeStates)];
        public int? SolvedAt { get; private set; }

        public void OnUpdate(TrainingUpdate update, TrainingControl control)
        {
            var network = control.Agent switch
            {
                A2cAgent a2c => a2c.Network,
                PpoAgent ppo => ppo.Network,
                _ => throw new InvalidOperationException($"mixmask: unexpected agent {control.Agent.GetType().Name}."),
            };
            if (settings.IsPpo)
            {
                if (update.Steps < _nextEvaluation && !update.IsFinal) return;
                while (_nextEvaluation <= update.Steps) _nextEvaluation += settings.EvaluateEvery;
            }
            else
            {
                if (update.Episodes - _lastEpisodes != 1)
                    throw new InvalidOperationException(
                        $"mixmask: an update must be exactly one episode (the paper's protocol), but this one ended {update.Episodes - _lastEpisodes} episode(s) (total {update.Episodes}).");
                _lastEpisodes = update.Episodes;
            }
            ulong evaluationSeed = EvaluationSeedBase + seed * 10_000;
            var cp = Evaluator.Evaluate(control.Agent, cartPole, settings.EvaluationEpisodes, deterministic: true, seed: evaluationSeed);
            var ncp = Evaluator.Evaluate(control.Agent, nonStationary, settings.EvaluationEpisodes, deterministic: true, seed: evaluationSeed);
            CartPole.Add(cp.MeanReturn);
            NonStationary.Add(ncp.MeanReturn);
            Steps.Add(update.Steps);
            Similarities.Add(FeatureSimilarity.ByLayer(network, probeStates));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{Label(cell)} seed {seed}] episode {update.Episodes,3}, step {update.Steps,6}: train return {update.MeanReturn ?? double.NaN,6:0.0}  CP {cp.MeanReturn,6:0.0}  nCP {ncp.MeanReturn,6:0.0}  similarity {string.Join(" ", Similarities[^1].Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))}  ({_watch.Elapsed.TotalSeconds:0.0} s)  losses {string.Join(" ", update.Losses.Select(l => $"{l.Key}={l.Value:G4}"))}"));
            if (cp.MeanReturn >= settings.SolvedThreshold && SolvedAt is null)
            {
                SolvedAt = CartPole.Count;
                control.Stop($"solved: CartPole mean evaluation return {cp.MeanReturn:0.0} ≥ {settings.SolvedThreshold}");
            }
        }
    }
}
