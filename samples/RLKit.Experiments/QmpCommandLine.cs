using System.Globalization;

namespace RLKit.Experiments;

/// <summary>The qmp and qmp-report commands' options and help.</summary>
internal static partial class CommandLine
{
    private const string QmpUsage = """


        qmp (seed 002, QMP and its baselines on the maze or the multistage reacher; one run per method and seed):
          --env <maze|reacher>   the environment (required)
          --methods <a,b,...>    methods to run (default: every method defined on the environment): {0}
          --seeds <n>            seeds per method (default 5): first-seed .. first-seed + n - 1
          --first-seed <s>       the first seed (default 0), to run a sweep's seeds in parts or in parallel
          --iterations <n>       iterations per run (default {1}, the reference code's); one iteration = every task's
                                 environment steps then gradient steps (maze 600 / 100, reacher 1000 / 100 per task;
                                 the first also fills every buffer to its minimum size, maze 3000, reacher 10000)
          --eval-every <k>       evaluate every k iterations' worth of environment steps, and at the end (default 10)
          --eval-episodes <n>    greedy evaluation episodes per task (default 10, the paper's)
          --threads <n>          engine threads (default: every core); 1 per process to run processes side by side
          --out <dir>            output directory (default runs/qmp/<env>); each run writes <out>/<method>/seed<s>, so
                                 processes with different --methods or --first-seed can share it. qmp-report reads every
                                 finished run there; --methods selects and orders them
        """;

    private static string QmpUsageText() => string.Format(CultureInfo.InvariantCulture, QmpUsage, string.Join(",", QmpMethods.Names), QmpExperiment.PaperIterations);

    private static QmpSettings ParseQmp(ReadOnlySpan<string> args)
    {
        var settings = ParseOptions(args, new QmpSettings(), static (settings, name, value) => name switch
            {
                "--env" => settings with
                {
                    Environment = QmpEnvironment.All.FirstOrDefault(e => e.Name == value)
                                  ?? throw new UsageException($"--env must be one of {string.Join(", ", QmpEnvironment.All.Select(e => e.Name))}; got '{value}'"),
                },
                "--methods" => settings with { Methods = ParseVariants(value, QmpMethods.IsKnown, name, "method") },
                "--seeds" => settings with { Seeds = PositiveInt(name, value) },
                "--first-seed" => settings with { FirstSeed = Seed(name, value) },
                "--iterations" => settings with { Iterations = PositiveInt(name, value) },
                "--eval-every" => settings with { EvaluateEvery = PositiveInt(name, value) },
                "--eval-episodes" => settings with { EvaluationEpisodes = PositiveInt(name, value) },
                "--threads" => settings with { Threads = IntInRange(name, value, 1, 1024) },
                "--out" => settings with { OutputDirectory = value },
                _ => throw new UsageException($"unknown option '{name}'"),
            });
        if (settings.Environment is not { } env) throw new UsageException("--env maze|reacher is required");
        foreach (var method in settings.Methods ?? [])
        {
            if (QmpMethods.WhyUndefined(method, env) is { } why)
                throw new UsageException($"the method '{method}' is not defined on the {env.Name}: {why}");
        }
        return settings;
    }
}
