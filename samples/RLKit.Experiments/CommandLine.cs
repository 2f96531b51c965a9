using System.Globalization;
using RLKit.Algorithms.MixMask;

namespace RLKit.Experiments;

/// <summary>
/// Hand-rolled argument parsing (the repo takes no new package references, so no System.CommandLine):
/// <c>&lt;experiment&gt; [--name value]…</c>, with usage on error.
/// </summary>
internal static partial class CommandLine
{
    private const string Usage = """
        usage: RLKit.Experiments mixmask [options]
               RLKit.Experiments mixmask-report [options]   (table, RESULT lines and SVGs from the CSVs in --out)
               RLKit.Experiments distral [options]
               RLKit.Experiments distral-report [options]   (tables, RESULT lines and SVGs from the CSVs in --out)
               RLKit.Experiments qmp --env maze|reacher [options]
               RLKit.Experiments qmp-report --env maze|reacher [options]   (tables, RESULT lines and SVGs from the runs in --out)
               RLKit.Experiments agile --env diglava|recsim|mining [options]
               RLKit.Experiments agile-report [options]   (tables, RESULT lines and SVGs from the runs in --in)
               RLKit.Experiments new-actions --env skillgrid|recsim [options]
               RLKit.Experiments new-actions-report [options]   (table, RESULT lines, CSVs and SVGs from the runs in --in)
               RLKit.Experiments savo --env restricted-pendulum|restricted-cartpole|pendulum|mining|recsim [options]
               RLKit.Experiments savo-report [options]   (tables, RESULT lines, CSVs, curves, profiles, k sweep, Q-landscape from --in)

        mixmask (seed 000, Mix & Mask A2C on CartPole):
          --seeds <n>            seeds per variant (default 5): first-seed .. first-seed + n - 1
          --first-seed <s>       the first seed (default 0), to run a sweep's seeds in parts
          --episodes <n>         training-episode budget per run (default 100)
          --eval-episodes <n>    evaluation episodes per environment after each training episode (default 100)
          --variants <a,b,...>   variants to run (default all): {0}
          --out <dir>            output directory (default runs/mixmask; the committed results live in docs/results)
          --temperature <t>      override the mix/mask penalty temperature (default: the options' 1e-4)
          --temperature-decay <τ>  α ← τ·α after every update, in [0, 1] (default 1: fixed, as in the paper's main results)
          --divergence <ir|j|ag> the Gaussian mechanisms' penalty: information radius (default), J- or AG-divergence
          --lr <a,b,...>         Adam's learning rates, each in (0, 1], one grid axis (default: the paper's 1e-2; PPO 1e-3);
                                 --learning-rate is the same option
          --eps <a,b,...>        initial ε of the ε-greedy exploration (halved after every episode), each in [0, 1], the
                                 other grid axis (default: the paper's 1.0; A2C only)
          --algorithm <a2c|ppo>  the paper's A2C protocol (default) or the same networks under PPO (RL Zoo settings, 8 envs)
          --steps <n>            PPO: environment-step budget (default 100000)
          --eval-every <n>       PPO: evaluate every n environment steps (default 10000)
          --threads <n>          engine threads (default: every core); 1 per process to run processes side by side
          --init <paper|orthogonal>  weight initialisation: the reference code's N(0, 0.1) / 0.1 (default) or orthogonal
          --solved <r>           CartPole mean evaluation return that stops a run (default 495)

        distral (seed 001, Distral on the two-room grids 4-8; every run trains until each task has --episodes episodes):
          --protocol <name>      the defaults below (default thesis):
                                   paper  §3.2: 2col-paper,sql-paper on 4,5,6,7,8; 10-step, ≤ 100 steps, 1000 episodes
                                   thesis §3.3: sql,1col,2col on 4,5;7,8;4,5,7;4,5,6,7,8; 1-step, ≤ 1000 steps, 200 episodes
                                   ac     §3.4: a2c,ac-1col,ac-2col, the thesis subsets and settings
                                   beta   §3.5: 1col-beta1..1col-beta10,2col on 4,5, the thesis settings
          --variants <a,b,...>   variants to run: {1}, 1col-beta<k> (β′ = k, 1..{2})
          --tasks <a,b;c,d;...>  task subsets (grid numbers 4..8; quote the ';'), e.g. '4,5;7,8'
          --seeds <n>            seeds per variant and subset (default 5): first-seed .. first-seed + n - 1
          --first-seed <s>       the first seed (default 0), to run a sweep's seeds in parts
          --episodes <n>         episodes per task (the curves keep each task's first n)
          --max-steps <n>        steps after which an episode is truncated
          --n-step <n>           n of the n-step TD targets (soft-Q regression and actor-critic critic), 1..1000
          --out <dir>            output directory (default runs/distral/<protocol>); runs already there are kept,
                                 a run repeated replaces its old row. distral-report: --variants and --tasks select
                                 (default: every run in the CSVs)
        """;

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine(UsageText());
            return args.Length == 0 ? 2 : 0;
        }
        try
        {
            return args[0] switch
            {
                "mixmask" => MixMaskExperiment.Run(ParseMixMask(args.AsSpan(1))),
                "mixmask-report" => MixMaskExperiment.Report(ParseMixMask(args.AsSpan(1))),
                "distral" => DistralExperiment.Run(ParseDistral(args.AsSpan(1))),
                "distral-report" => DistralExperiment.Report(ParseDistral(args.AsSpan(1))),
                "qmp" => QmpExperiment.Run(ParseQmp(args.AsSpan(1))),
                "qmp-report" => QmpExperiment.Report(ParseQmp(args.AsSpan(1))),
                "agile" => AgileExperiment.Run(ParseAgile(args.AsSpan(1), report: false)),
                "agile-report" => AgileExperiment.Report(ParseAgile(args.AsSpan(1), report: true)),
                "new-actions" => NewActionsExperiment.Run(ParseNewActions(args.AsSpan(1), report: false)),
                "new-actions-report" => NewActionsExperiment.Report(ParseNewActions(args.AsSpan(1), report: true)),
                "savo" => SavoExperiment.Run(ParseSavo(args.AsSpan(1), report: false)),
                "savo-report" => SavoExperiment.Report(ParseSavo(args.AsSpan(1), report: true)),
                _ => throw new UsageException($"unknown experiment '{args[0]}' (known: mixmask, mixmask-report, distral, distral-report, qmp, qmp-report, agile, agile-report, new-actions, new-actions-report, savo, savo-report)"),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(UsageText());
            return 2;
        }
    }

    private static string UsageText() => string.Format(CultureInfo.InvariantCulture, Usage, string.Join(",", MixMaskVariants.Names),
                                                       string.Join(",", DistralVariants.FixedNames), DistralVariants.MaxTaskPolicyScale)
                                         + QmpUsageText() + AgileUsageText() + NewActionsUsageText() + SavoUsageText();

    /// <summary>
    /// Reads "--name value" pairs into <paramref name="settings"/> with <paramref name="apply"/>, which throws for an
    /// unknown name; "-h" or "--help" anywhere asks for the usage text.
    /// </summary>
    private static TSettings ParseOptions<TSettings>(ReadOnlySpan<string> args, TSettings settings, Func<TSettings, string, string, TSettings> apply)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help") throw new UsageException("help requested");
            if (i + 1 >= args.Length) throw new UsageException($"option '{name}' needs a value");
            settings = apply(settings, name, args[++i]);
        }
        return settings;
    }

    private static MixMaskSettings ParseMixMask(ReadOnlySpan<string> args)
    {
        var settings = ParseMixMaskOptions(args);
        if (settings.IsPpo && settings.InitialEpsilons is not null)
            throw new UsageException("--eps sets A2C's ε-greedy exploration; PPO samples from its policy (drop --eps or use --algorithm a2c)");
        return settings;
    }

    private static MixMaskSettings ParseMixMaskOptions(ReadOnlySpan<string> args) =>
        ParseOptions(args, new MixMaskSettings(), static (settings, name, value) => name switch
            {
                "--seeds" => settings with { Seeds = PositiveInt(name, value) },
                "--first-seed" => settings with { FirstSeed = Seed(name, value) },
                "--episodes" => settings with { Episodes = PositiveInt(name, value) },
                "--eval-episodes" => settings with { EvaluationEpisodes = PositiveInt(name, value) },
                "--variants" => settings with { Variants = ParseVariants(value, MixMaskVariants.Names.Contains) },
                "--out" => settings with { OutputDirectory = value },
                "--temperature" => settings with { Mechanisms = settings.Mechanisms with { Temperature = NonNegativeFloat(name, value) } },
                "--temperature-decay" => settings with { Mechanisms = settings.Mechanisms with { TemperatureDecay = UnitInterval(name, value) } },
                "--divergence" => settings with { Mechanisms = settings.Mechanisms with { GaussianSimilarity = value switch
                {
                    "ir" => Similarity.InformationRadius,
                    "j" => Similarity.JDivergence,
                    "ag" => Similarity.ArithmeticGeometric,
                    _ => throw new UsageException($"--divergence must be 'ir', 'j' or 'ag'; got '{value}'"),
                } } },
                "--learning-rate" or "--lr" => settings with { LearningRates = FloatList(name, value, LearningRate) },
                "--eps" => settings with { InitialEpsilons = FloatList(name, value, UnitInterval) },
                "--algorithm" => settings with { Algorithm = value is MixMaskExperiment.A2c or MixMaskExperiment.Ppo
                    ? value : throw new UsageException($"--algorithm must be 'a2c' or 'ppo'; got '{value}'") },
                "--steps" => settings with { Steps = PositiveInt(name, value) },
                "--eval-every" => settings with { EvaluateEvery = PositiveInt(name, value) },
                "--threads" => settings with { Threads = IntInRange(name, value, 1, 1024) },
                "--init" => settings with { OrthogonalInitialization = value switch
                {
                    "paper" => false,
                    "orthogonal" => true,
                    _ => throw new UsageException($"--init must be 'paper' or 'orthogonal'; got '{value}'"),
                } },
                "--solved" => settings with { SolvedThreshold = NonNegativeFloat(name, value) },
                _ => throw new UsageException($"unknown option '{name}'"),
            });

    private static DistralSettings ParseDistral(ReadOnlySpan<string> args) =>
        ParseOptions(args, new DistralSettings(), static (settings, name, value) => name switch
            {
                "--protocol" => settings with
                {
                    Protocol = DistralProtocol.All.FirstOrDefault(p => p.Name == value)
                               ?? throw new UsageException($"--protocol must be one of {string.Join(", ", DistralProtocol.All.Select(p => p.Name))}; got '{value}'"),
                },
                "--variants" => settings with { Variants = ParseVariants(value, DistralVariants.IsKnown) },
                "--tasks" => settings with { Subsets = ParseSubsets(name, value) },
                "--seeds" => settings with { Seeds = PositiveInt(name, value) },
                "--first-seed" => settings with { FirstSeed = Seed(name, value) },
                "--episodes" => settings with { Episodes = PositiveInt(name, value) },
                "--max-steps" => settings with { MaxSteps = PositiveInt(name, value) },
                "--n-step" => settings with { NStep = IntInRange(name, value, 1, 1000) },
                "--out" => settings with { OutputDirectory = value },
                _ => throw new UsageException($"unknown option '{name}'"),
            });

    /// <summary>A comma-separated list of distinct known names (variants, or what <paramref name="kind"/> says) for <paramref name="option"/>.</summary>
    private static IReadOnlyList<string> ParseVariants(string value, Func<string, bool> isKnown, string option = "--variants", string kind = "variant")
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new UsageException($"{option} needs at least one name");
        foreach (var name in names)
        {
            if (!isKnown(name))
                throw new UsageException($"unknown {kind} '{name}'");
        }
        return names.Distinct().ToArray();
    }

    /// <summary>Task subsets "4,5;7,8" (a subset may also be written "4-5", as in file names): distinct grids 4..8 each.</summary>
    private static IReadOnlyList<IReadOnlyList<int>> ParseSubsets(string option, string value)
    {
        var subsets = new List<IReadOnlyList<int>>();
        foreach (var subset in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var grids = subset.Split([',', '-'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                              .Select(g => int.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 4 and <= 8
                                  ? n : throw new UsageException($"{option}: grids are numbered 4..8; got '{g}' in '{value}'"))
                              .ToArray();
            if (grids.Length == 0 || grids.Distinct().Count() != grids.Length)
                throw new UsageException($"{option}: a subset needs distinct grids; got '{subset}'");
            if (subsets.Any(s => s.SequenceEqual(grids)))
                throw new UsageException($"{option}: the subset '{subset}' appears twice");
            subsets.Add(grids);
        }
        if (subsets.Count == 0) throw new UsageException($"{option} needs at least one subset, e.g. '4,5;7,8'");
        return subsets;
    }

    private static int PositiveInt(string option, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 1
            ? n : throw new UsageException($"{option} must be an integer ≥ 1; got '{value}'");

    private static int IntInRange(string option, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n : throw new UsageException($"{option} must be an integer in [{min}, {max}]; got '{value}'");

    private static ulong Seed(string option, string value) =>
        ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)
            ? seed : throw new UsageException($"{option} must be an integer in [0, {ulong.MaxValue}]; got '{value}'");

    private static float NonNegativeFloat(string option, string value) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float x) && float.IsFinite(x) && x >= 0
            ? x : throw new UsageException($"{option} must be a finite number ≥ 0; got '{value}'");

    private static float UnitInterval(string option, string value) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float x) && x >= 0 && x <= 1
            ? x : throw new UsageException($"{option} must be a number in [0, 1]; got '{value}'");

    private static float LearningRate(string option, string value) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float x) && x > 0 && x <= 1
            ? x : throw new UsageException($"{option} must be a number in (0, 1]; got '{value}'");

    /// <summary>A comma-separated list of distinct numbers, each checked by <paramref name="parse"/>.</summary>
    private static IReadOnlyList<float> FloatList(string option, string value, Func<string, string, float> parse)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => parse(option, v)).ToArray();
        if (items.Length == 0) throw new UsageException($"{option} needs at least one value");
        return items.Distinct().ToArray();
    }

    private sealed class UsageException(string message) : Exception(message);
}
