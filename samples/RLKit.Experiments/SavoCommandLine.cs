using System.Globalization;
using RLKit.Algorithms.Savo;

namespace RLKit.Experiments;

/// <summary>The savo and savo-report commands' options and help.</summary>
internal static partial class CommandLine
{
    private const string SavoUsage = """


        savo (seed 003 ch. 4, SAVO, its baselines and ablations on TD3's loop; one run per method, k and seed):
          --env <{0}>
                                 the environment (required)
          --methods <a,b,...>    methods to run (default: {1}); all: {2}
          --k <n>                candidates / successive actor-surrogates, 1..{3} (default 3; td3, cem, greedy, greedy-ac ignore
                                 it and record k = 1); the k sweep runs savo once per k into the same --out
          --seeds <n>            seeds per method (default 5): first-seed .. first-seed + n - 1
          --first-seed <s>       the first seed (default 0), to run a sweep's seeds in parts or in parallel
          --steps <n>            environment steps per run, summed over the training copies (default: {4})
          --eval-every <n>       evaluate every n environment steps (default: a tenth of the budget); also right after
                                 the first update (the profile's untrained score) and at the end
          --eval-episodes <n>    greedy evaluation episodes, 1..1000 (default 10)
          --hidden <a,b,...>     hidden sizes of every actor, critic and surrogate, each 1..4096 (default: continuous
                                 256,256, mining 128,128, recsim 64,32); recorded in each run's options
          --threads <n>          engine threads (default: every core); 1 per process to run processes side by side
          --out <dir>            output directory (default runs/savo); each run writes <out>/<env>/<method>/k<k>/seed<s>
                                 (curve.csv, result.json, agent.rlkit for savo on 1-D actions); a finished run there is
                                 skipped, so a stopped sweep resumes
               RLKit.Experiments savo-report [--in <dir>] [--out <dir>] [--env <env>] [--methods <a,b,...>] [--k <n>]
                                 tables, RESULT lines, savo-runs.csv, savo-summary.csv, learning curves at k (default 3),
                                 performance profiles across environments, the k sweep and the restricted-pendulum
                                 Q-landscape from every finished run in --in (default runs/savo), written to --out
                                 (default: --in); --env and --methods select (default: all found)
        """;

    private static string SavoUsageText() => string.Format(CultureInfo.InvariantCulture, SavoUsage,
        string.Join("|", SavoEnvironment.All.Select(e => e.Name)), string.Join(",", SavoMethods.Baselines), string.Join(",", SavoMethods.Names),
        SavoOptions.MaxActorCount, string.Join(", ", SavoEnvironment.All.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Name} {e.DefaultSteps}"))));

    /// <summary>Comma-separated layer widths "256,256", each in [1, 4096], at least one.</summary>
    private static int[] ParseSizes(string option, string value)
    {
        var sizes = value.Split(',', StringSplitOptions.TrimEntries).Select(size => IntInRange(option, size, 1, 4096)).ToArray();
        return sizes.Length > 0 ? sizes : throw new UsageException($"{option} needs at least one layer width, e.g. 256,256");
    }

    private static SavoSettings ParseSavo(ReadOnlySpan<string> args, bool report)
    {
        var settings = ParseOptions(args, new SavoSettings(), (settings, name, value) => name switch
            {
                "--env" => settings with
                {
                    Environment = SavoEnvironment.Find(value)
                                  ?? throw new UsageException($"--env must be one of {string.Join(", ", SavoEnvironment.All.Select(e => e.Name))}; got '{value}'"),
                },
                "--methods" => settings with { Methods = ParseVariants(value, SavoMethods.IsKnown, name, "method") },
                "--k" => settings with { K = IntInRange(name, value, 1, SavoOptions.MaxActorCount) },
                "--out" => settings with { OutputDirectory = value },
                "--in" when report => settings with { InputDirectory = value },
                "--seeds" when !report => settings with { Seeds = PositiveInt(name, value) },
                "--first-seed" when !report => settings with { FirstSeed = Seed(name, value) },
                "--steps" when !report => settings with { Steps = PositiveLong(name, value) },
                "--eval-every" when !report => settings with { EvaluateEvery = PositiveLong(name, value) },
                "--eval-episodes" when !report => settings with { EvaluationEpisodes = IntInRange(name, value, 1, 1000) },
                "--threads" when !report => settings with { Threads = IntInRange(name, value, 1, 1024) },
                "--hidden" when !report => settings with { HiddenSizes = ParseSizes(name, value) },
                _ => throw new UsageException($"unknown option '{name}'{(report ? " for savo-report" : "")}"),
            });
        if (report) return settings;
        if (settings.Environment is null)
            throw new UsageException($"--env {string.Join("|", SavoEnvironment.All.Select(e => e.Name))} is required");
        if (settings.Steps is { } steps && steps < 2 * settings.Env.Environments * 2)
            throw new UsageException($"--steps must be at least {4 * settings.Env.Environments} for {settings.Env.Name} (random warm-up, then training); got {steps}");
        return settings;
    }
}
