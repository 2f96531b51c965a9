using System.Globalization;

namespace RLKit.Experiments;

/// <summary>The agile and agile-report commands' options and help.</summary>
internal static partial class CommandLine
{
    private const string AgileUsage = """


        agile (seed 003 ch. 3, AGILE and its baselines and ablations; one run per method and seed):
          --env <diglava|recsim|mining>  the environment (required): dig-lava and mining train PPO methods, RecSim
                                 cascaded-DQN methods
          --methods <a,b,...>    methods to run (default: every method of the environment's learner)
                                   PPO:  {0}
                                   CDQN: {1}
          --seeds <n>            seeds per method (default 5): first-seed .. first-seed + n - 1
          --first-seed <s>       the first seed (default 0), to run a sweep's seeds in parts or in parallel
          --steps <n>            environment steps per run, summed over the 16 training copies (default: diglava {2},
                                 mining {4}, recsim {3}; the paper's 8e6 PPO steps and 10,000 CDQN epochs are out of
                                 reach here); PPO trains whole rollouts of 16 × 128 = 2048 steps, so a budget that is
                                 not a multiple of 2048 ends at the last whole rollout
          --epochs <n>           recsim only: the budget in CDQN epochs (one step of each of the 16 copies); instead of --steps
          --eval-every <n>       evaluate every n environment steps, and at the end (default: a tenth of the budget)
          --eval-episodes <n>    greedy evaluation episodes (default 32; RecSim: as many on train and on test items)
          --threads <n>          engine threads (default: every core); 1 per process to run processes side by side
          --dig-reward <r>       diglava only: R_Dig in [0, 1] instead of the paper's 0.01 (a deviation, recorded in each
                                 run's options; use its own --out)
          --out <dir>            output directory (default runs/agile); each run writes <out>/<env>/<method>/seed<s>
                                 (curve.csv, result.json); a finished run there is skipped, so a stopped sweep resumes
               RLKit.Experiments agile-report [--in <dir>] [--out <dir>] [--env <env>] [--methods <a,b,...>]
                                 tables, RESULT lines and SVGs from every finished run in --in (default runs/agile),
                                 written to --out (default: --in); --env and --methods select (default: all found)
        """;

    private static string AgileUsageText() => string.Format(CultureInfo.InvariantCulture, AgileUsage, string.Join(",", AgileMethods.PpoNames),
                                                            string.Join(",", AgileMethods.CdqnNames),
                                                            AgileExperiment.DefaultSteps(AgileEnvironment.DigLava),
                                                            AgileExperiment.DefaultSteps(AgileEnvironment.RecSim),
                                                            AgileExperiment.DefaultSteps(AgileEnvironment.Mining));

    private static AgileSettings ParseAgile(ReadOnlySpan<string> args, bool report)
    {
        var settings = ParseOptions(args, new AgileSettings(), (settings, name, value) => name switch
            {
                "--env" => settings with
                {
                    Environment = AgileEnvironment.Find(value)
                                  ?? throw new UsageException($"--env must be one of {string.Join(", ", AgileEnvironment.All.Select(e => e.Name))}; got '{value}'"),
                },
                "--methods" => settings with { Methods = ParseVariants(value, AgileMethods.IsKnown, name, "method") },
                "--out" => settings with { OutputDirectory = value },
                "--in" when report => settings with { InputDirectory = value },
                "--seeds" when !report => settings with { Seeds = PositiveInt(name, value) },
                "--first-seed" when !report => settings with { FirstSeed = Seed(name, value) },
                "--steps" when !report => settings with { Steps = PositiveLong(name, value) },
                "--epochs" when !report => settings with { Epochs = PositiveLong(name, value) },
                "--eval-every" when !report => settings with { EvaluateEvery = PositiveLong(name, value) },
                "--eval-episodes" when !report => settings with { EvaluationEpisodes = IntInRange(name, value, 1, 10_000) },
                "--threads" when !report => settings with { Threads = IntInRange(name, value, 1, 1024) },
                "--dig-reward" when !report => settings with { DigReward = UnitInterval(name, value) },
                _ => throw new UsageException($"unknown option '{name}'{(report ? " for agile-report" : "")}"),
            });
        if (report)
        {
            if (settings.Environment is { } reportEnv)
                RequireDefined(settings, reportEnv);
            return settings;
        }
        if (settings.Environment is not { } env) throw new UsageException("--env diglava|recsim|mining is required");
        if (settings.Steps is not null && settings.Epochs is not null) throw new UsageException("give --steps or --epochs, not both");
        if (settings.Epochs is not null && env.Learner != AgileLearner.Cdqn) throw new UsageException("--epochs is the CDQN budget (recsim); use --steps");
        if (settings.DigReward is { } digReward)
        {
            if (env.Name != AgileEnvironment.DigLava.Name) throw new UsageException("--dig-reward is a dig-lava option (--env diglava)");
            settings = settings with { Environment = AgileEnvironment.DigLavaWithDigReward(digReward) };
        }
        RequireDefined(settings, env);
        return settings;
    }

    private static void RequireDefined(AgileSettings settings, AgileEnvironment env)
    {
        foreach (var method in settings.Methods ?? [])
        {
            if (AgileMethods.WhyUndefined(method, env) is { } why)
                throw new UsageException($"the method '{method}' is not defined on {env.Name}: {why}");
        }
    }

    private static long PositiveLong(string option, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) && n >= 1
            ? n : throw new UsageException($"{option} must be an integer ≥ 1; got '{value}'");
}
