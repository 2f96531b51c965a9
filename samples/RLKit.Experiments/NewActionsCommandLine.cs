using System.Globalization;

namespace RLKit.Experiments;

/// <summary>The new-actions and new-actions-report commands' options and help.</summary>
internal static partial class CommandLine
{
    private const string NewActionsUsage = """


        new-actions (seed 003 ch. 2, generalisation to new actions; per seed: encoders, then one run per method):
          --env <skillgrid|recsim>  the environment (required)
          --methods <a,b,...>    methods to run (default: every method of the environment)
                                   skillgrid: {0}
                                   recsim:    {1}
          --seeds <n>            seeds per method (default: 8 on skillgrid, 5 on recsim, as the thesis)
          --first-seed <s>       the first seed (default 0), to run a sweep's seeds in parts or in parallel
          --steps <n>            PPO environment steps per run, summed over the 16 training copies (default: skillgrid
                                 {2}, recsim {3}; the thesis's 4e7 are out of reach); PPO trains whole rollouts
          --encoder-seed <s>     train each encoder once with seed s and share it across the policy seeds (default:
                                 one encoder per policy seed)
          --encoder-epochs <n>   HVAE / flat-VAE training epochs (default {4}; the thesis: 10,000)
          --observations <n>     skillgrid: trajectories per skill on the empty 80×80 grid (default {5}; the thesis: 1024)
          --eval-every <n>       validate every n environment steps, and at the end (default: a tenth of the budget)
          --val-episodes <n>     greedy episodes per validation on validation actions (default {6})
          --final-episodes <n>   greedy episodes of the best model on train and on test actions (default {7})
          --lava <random|fixed>  skillgrid: a lava river drawn per episode (default, the thesis) or one fixed river (row
                                 5, gap at column 7): a deviation, recorded in each run, that learns in far fewer
                                 steps; use its own --out
          --threads <n>          engine threads (default: every core); 1 per process to run processes side by side
          --out <dir>            output directory (default runs/new-actions); each run writes <out>/<env>/<method>/seed<s>
                                 (curve.csv, result.json, best.rlkit); encoders are cached in <out>/<env>/encoders; a
                                 finished run there is skipped, so a stopped sweep resumes
               RLKit.Experiments new-actions-report [--in <dir>] [--out <dir>] [--env <env>] [--methods <a,b,...>]
                                 table, RESULT lines, CSVs and SVGs from every finished run in --in (default
                                 runs/new-actions), written to --out (default: --in)
        """;

    private static string NewActionsUsageText()
    {
        var defaults = new NewActionsSettings();
        return string.Format(CultureInfo.InvariantCulture, NewActionsUsage,
            string.Join(",", NewActionsMethod.SkillGrid.Select(m => m.Name)), string.Join(",", NewActionsMethod.RecSim.Select(m => m.Name)),
            NewActionsExperiment.DefaultSteps(NewActionsEnvironment.SkillGrid), NewActionsExperiment.DefaultSteps(NewActionsEnvironment.RecSim),
            defaults.EncoderEpochs, defaults.TrajectoriesPerSkill, defaults.ValidationEpisodes, defaults.FinalEpisodes);
    }

    private static NewActionsSettings ParseNewActions(ReadOnlySpan<string> args, bool report)
    {
        var settings = ParseOptions(args, new NewActionsSettings(), (settings, name, value) => name switch
            {
                "--env" => settings with
                {
                    Environment = NewActionsEnvironment.Find(value)
                                  ?? throw new UsageException($"--env must be one of {string.Join(", ", NewActionsEnvironment.All.Select(e => e.Name))}; got '{value}'"),
                },
                "--methods" => settings with { Methods = ParseVariants(value, NewActionsMethod.Names.Contains, name, "method") },
                "--out" => settings with { OutputDirectory = value },
                "--in" when report => settings with { InputDirectory = value },
                "--seeds" when !report => settings with { Seeds = PositiveInt(name, value) },
                "--first-seed" when !report => settings with { FirstSeed = Seed(name, value) },
                "--encoder-seed" when !report => settings with { EncoderSeed = Seed(name, value) },
                "--steps" when !report => settings with { Steps = PositiveLong(name, value) },
                "--encoder-epochs" when !report => settings with { EncoderEpochs = IntInRange(name, value, 1, 10_000_000) },
                "--observations" when !report => settings with { TrajectoriesPerSkill = IntInRange(name, value, 1, 65_536) },
                "--eval-every" when !report => settings with { EvaluateEvery = PositiveLong(name, value) },
                "--val-episodes" when !report => settings with { ValidationEpisodes = IntInRange(name, value, 1, 100_000) },
                "--final-episodes" when !report => settings with { FinalEpisodes = IntInRange(name, value, 1, 100_000) },
                "--threads" when !report => settings with { Threads = IntInRange(name, value, 1, 1024) },
                "--lava" when !report => settings with { FixedLava = value switch
                {
                    "random" => false,
                    "fixed" => true,
                    _ => throw new UsageException($"--lava must be 'random' or 'fixed'; got '{value}'"),
                } },
                _ => throw new UsageException($"unknown option '{name}'{(report ? " for new-actions-report" : "")}"),
            });
        if (!report && settings.Environment is null) throw new UsageException("--env skillgrid|recsim is required");
        if (settings.FixedLava)
        {
            if (settings.Environment?.IsSkillGrid != true) throw new UsageException("--lava is a skill-grid option (--env skillgrid)");
            settings = settings with { Environment = NewActionsEnvironment.SkillGridFixedLava };
        }
        if (settings.Environment is { } env)
        {
            foreach (var method in settings.Methods ?? [])
            {
                if (NewActionsMethod.Find(env, method) is null)
                    throw new UsageException($"the method '{method}' is not defined on {env.Name} (its methods: {string.Join(", ", NewActionsMethod.On(env).Select(m => m.Name))})");
            }
        }
        return settings;
    }
}
