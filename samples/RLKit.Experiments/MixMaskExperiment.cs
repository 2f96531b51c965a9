using System.Diagnostics;
using System.Globalization;
using RLKit.Algorithms.A2c;
using RLKit.Algorithms.MixMask;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Envs;
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
    /// <summary>Adam's learning rate instead of the paper's 1e-2 (the paper tuned it per network, §5).</summary>
    public float? LearningRate { get; init; }
    public float SolvedThreshold { get; init; } = 495;
    /// <summary>Orthogonal weights and zero biases instead of the paper's N(0, 0.1) weights and 0.1 biases (a deviation, for diagnosis).</summary>
    public bool OrthogonalInitialization { get; init; }
}

/// <summary>One training run: its evaluation after every training episode and when (if) it solved CartPole.</summary>
internal sealed record MixMaskRun(string Variant, ulong Seed, string Network, IReadOnlyList<double> CartPole, IReadOnlyList<double> NonStationary,
                                  int? SolvedAt, double Seconds)
{
    public int EpisodesRun => CartPole.Count;
    public double FinalCartPole => CartPole.Count > 0 ? CartPole[^1] : double.NaN;
    public double FinalNonStationary => NonStationary.Count > 0 ? NonStationary[^1] : double.NaN;
}

/// <summary>
/// Seed 000's protocol (§5, Figs. 4–7): A2C with the paper's options on one CartPole-v1, one episode per update; after
/// each episode the greedy agent is evaluated on CartPole-v1 (CP) and NonStationaryCartPole-v1 (nCP) and training stops
/// once the CP mean reaches the solved threshold, or after the episode budget.
/// </summary>
internal static class MixMaskExperiment
{
    private const string CartPoleId = "CartPole-v1";
    private const string NonStationaryId = "NonStationaryCartPole-v1";
    // Evaluation resets use seeds far from the training seeds so no evaluation copy replays a training episode's start.
    private const ulong EvaluationSeedBase = 1_000_000;

    public static int Run(MixMaskSettings settings)
    {
        Directory.CreateDirectory(settings.OutputDirectory);
        var catalog = StandardEnvironments.CreateCatalog();
        var runs = new List<MixMaskRun>();
        var total = Stopwatch.StartNew();
        Console.Error.WriteLine(FormattableString.Invariant(
            $"mixmask: {(settings.OrthogonalInitialization ? "orthogonal initialisation (not the paper's), " : "")}{(settings.LearningRate is { } lr ? $"learning rate {lr} (not the paper's 1e-2), " : "")}{settings.Variants.Count} variant(s) × {settings.Seeds} seed(s), ≤ {settings.Episodes} episodes, {settings.EvaluationEpisodes} evaluation episodes per environment, solved at CP ≥ {settings.SolvedThreshold}"));

        foreach (var variant in settings.Variants)
        {
            for (ulong seed = settings.FirstSeed; seed < settings.FirstSeed + (ulong)settings.Seeds; seed++)
            {
                runs.Add(RunOne(catalog, variant, seed, settings));
                // Written after every run so a long sweep that is stopped keeps what it finished.
                MixMaskReport.WriteCsv(settings.OutputDirectory, runs);
            }
        }

        MixMaskReport.Print(Console.Out, runs, settings);
        MixMaskReport.WriteCharts(settings.OutputDirectory, runs, settings);
        Console.Error.WriteLine(FormattableString.Invariant($"mixmask: done in {total.Elapsed.TotalMinutes:0.0} min"));
        return 0;
    }

    /// <summary>
    /// The table, RESULT lines and charts of the runs recorded in --out's CSVs (e.g. of a stopped sweep); --variants,
    /// when given, selects and orders the variants, --episodes must be the sweep's budget.
    /// </summary>
    public static int Report(MixMaskSettings settings)
    {
        var recorded = MixMaskReport.ReadCsv(settings.OutputDirectory);
        var runs = settings.Variants.SelectMany(v => recorded.Where(r => r.Variant == v)).ToList();
        MixMaskReport.Print(Console.Out, runs, settings);
        MixMaskReport.WriteCharts(settings.OutputDirectory, runs, settings);
        return 0;
    }

    private static MixMaskRun RunOne(EnvironmentCatalog catalog, string variant, ulong seed, MixMaskSettings settings)
    {
        var paper = MixMaskA2c.PaperOptions(seed);
        if (settings.OrthogonalInitialization)
            paper = paper with { SharedFeatures = (paper.SharedFeatures ?? new SharedFeatureOptions()) with { PaperInitialization = false } };
        var options = paper with
        {
            Seed = seed,
            LearningRate = settings.LearningRate ?? paper.LearningRate,
            SharedFeatures = MixMaskVariants.Build(variant, paper.SharedFeatures ?? new SharedFeatureOptions(), settings.Mechanisms),
        };
        string network = options.SharedFeatures!.ToString();
        using var training = new SyncVectorEnvironment([catalog.Make(CartPoleId)], AutoresetMode.SameStep);
        using var cartPole = MakeCopies(catalog, CartPoleId, settings.EvaluationEpisodes);
        using var nonStationary = MakeCopies(catalog, NonStationaryId, settings.EvaluationEpisodes);
        var callback = new EvaluateEveryEpisode(variant, seed, cartPole, nonStationary, settings);
        var watch = Stopwatch.StartNew();
        new A2cEstimator(options, [callback]).Fit(training, Budget.Episodes(settings.Episodes));
        watch.Stop();
        Console.Error.WriteLine(FormattableString.Invariant(
            $"[{variant} seed {seed}] {(callback.SolvedAt is { } e ? $"solved at episode {e}" : $"not solved in {callback.CartPole.Count} episodes")}, {watch.Elapsed.TotalSeconds:0.0} s ({network})"));
        return new MixMaskRun(variant, seed, network, callback.CartPole, callback.NonStationary, callback.SolvedAt, watch.Elapsed.TotalSeconds);
    }

    private static SyncVectorEnvironment MakeCopies(EnvironmentCatalog catalog, string id, int count) =>
        new(Enumerable.Range(0, count).Select(_ => catalog.Make(id)).ToArray(), AutoresetMode.SameStep);

    /// <summary>After every update (one training episode under the paper's options) evaluates on CP and nCP; stops once CP is solved.</summary>
    private sealed class EvaluateEveryEpisode(string variant, ulong seed, IVectorEnvironment cartPole, IVectorEnvironment nonStationary,
                                              MixMaskSettings settings) : ITrainingCallback
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private long _lastEpisodes;

        public List<double> CartPole { get; } = [];
        public List<double> NonStationary { get; } = [];
        public int? SolvedAt { get; private set; }

        public void OnUpdate(TrainingUpdate update, TrainingControl control)
        {
            if (update.Episodes - _lastEpisodes != 1)
                throw new InvalidOperationException(
                    $"mixmask: an update must be exactly one episode (the paper's protocol), but this one ended {update.Episodes - _lastEpisodes} episode(s) (total {update.Episodes}).");
            _lastEpisodes = update.Episodes;
            ulong evaluationSeed = EvaluationSeedBase + seed * 10_000;
            var cp = Evaluator.Evaluate(control.Agent, cartPole, settings.EvaluationEpisodes, deterministic: true, seed: evaluationSeed);
            var ncp = Evaluator.Evaluate(control.Agent, nonStationary, settings.EvaluationEpisodes, deterministic: true, seed: evaluationSeed);
            CartPole.Add(cp.MeanReturn);
            NonStationary.Add(ncp.MeanReturn);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{variant} seed {seed}] episode {update.Episodes,3}: train return {update.MeanReturn ?? double.NaN,6:0.0}  CP {cp.MeanReturn,6:0.0}  nCP {ncp.MeanReturn,6:0.0}  ({_watch.Elapsed.TotalSeconds:0.0} s)  losses {string.Join(" ", update.Losses.Select(l => $"{l.Key}={l.Value:G4}"))}"));
            if (cp.MeanReturn >= settings.SolvedThreshold && SolvedAt is null)
            {
                SolvedAt = CartPole.Count;
                control.Stop($"solved: CartPole mean evaluation return {cp.MeanReturn:0.0} ≥ {settings.SolvedThreshold}");
            }
        }
    }
}
