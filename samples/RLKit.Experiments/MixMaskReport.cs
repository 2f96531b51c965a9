using System.Globalization;
using System.Text;
using RLKit.Training.Metrics;

namespace RLKit.Experiments;

/// <summary>The mixmask command's outputs: the summary table, RESULT lines, per-run CSVs and the learning-curve SVGs.</summary>
internal static class MixMaskReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public const string RunsFile = "mixmask-runs.csv";
    public const string CurvesFile = "mixmask-curves.csv";

    /// <summary>
    /// Per grid cell (network, algorithm, learning rate, initial ε): solved seeds, episodes (A2C) or thousands of steps
    /// (PPO) to solve and the final CP/nCP evaluation, then one RESULT line each.
    /// </summary>
    public static void Print(TextWriter output, IReadOnlyList<MixMaskRun> runs, MixMaskSettings settings)
    {
        var rows = Summarise(runs, settings).ToList();
        output.WriteLine(string.Create(Invariant,
            $"Mix & Mask on CartPole-v1: {(settings.IsPpo ? $"PPO (RL Zoo settings), {settings.Steps} steps, evaluation every {settings.EvaluateEvery}" : $"A2C, paper options, ≤ {settings.Episodes} training episodes, evaluation after each")}{(settings.OrthogonalInitialization ? ", orthogonal initialisation" : "")}, greedy evaluation on {settings.EvaluationEpisodes} episodes, solved at CP mean ≥ {settings.SolvedThreshold}."));
        output.WriteLine(string.Create(Invariant,
            $"To solve: mean ± std over all seeds, unsolved counted as the budget. Final CP / nCP: the evaluation after the last training {(settings.IsPpo ? "update" : "episode")}, mean ± std over seeds."));
        output.WriteLine();
        string[] header = ["variant", "lr", "ε0", "solved", "Wilson 95%", settings.IsPpo ? "k steps to solve" : "episodes to solve", "bootstrap 95%", "final CP", "final nCP", "s/run"];
        var table = rows.Select(r => (IReadOnlyList<string>)new[]
        {
            r.Cell.Variant,
            r.Cell.LearningRate.ToString(Invariant),
            r.Cell.Algorithm == MixMaskExperiment.Ppo ? "-" : r.Cell.InitialEpsilon.ToString(Invariant),
            $"{r.Solved}/{r.Seeds}",
            string.Create(Invariant, $"{r.SolvedInterval.Lower:0.00}–{r.SolvedInterval.Upper:0.00}"),
            string.Create(Invariant, $"{r.ToSolve.Average():0.0} ± {ExperimentOutput.Std(r.ToSolve):0.0}"),
            string.Create(Invariant, $"{r.ToSolveInterval.Lower:0.0}–{r.ToSolveInterval.Upper:0.0}"),
            string.Create(Invariant, $"{r.CartPoleMean:0.0} ± {r.CartPoleStd:0.0}"),
            string.Create(Invariant, $"{r.NonStationaryMean:0.0} ± {r.NonStationaryStd:0.0}"),
            string.Create(Invariant, $"{r.SecondsPerRun:0}"),
        }).ToList();
        ExperimentOutput.WriteTable(output, header, table);
        output.WriteLine();
        foreach (var r in rows)
        {
            output.WriteLine(string.Create(Invariant,
                $"RESULT variant={r.Cell.Variant} env=CartPole-v1 solved_seeds={r.Solved}/{r.Seeds} mean_episodes_to_solve={r.ToSolve.Average():0.0} cp_return={r.CartPoleMean:0.0} ncp_return={r.NonStationaryMean:0.0} algorithm={r.Cell.Algorithm} learning_rate={r.Cell.LearningRate} initial_epsilon={r.Cell.InitialEpsilon} solved_ci95=[{r.SolvedInterval.Lower:0.000},{r.SolvedInterval.Upper:0.000}] to_solve_ci95=[{r.ToSolveInterval.Lower:0.0},{r.ToSolveInterval.Upper:0.0}]"));
        }
        PrintFisherTests(output, rows);
        PrintSimilarities(output, runs);
    }

    /// <summary>The networks the mechanisms are compared against.</summary>
    private static readonly string[] Baselines = ["separated", "shared", "separated-deep"];

    /// <summary>
    /// Two-sided Fisher exact tests of solved counts, each mechanism row against each baseline row of the same setting
    /// (algorithm, learning rate, initial ε) — or across settings when every network appears in one setting only (each
    /// at its own best rate).
    /// </summary>
    private static void PrintFisherTests(TextWriter output, IReadOnlyList<Summary> rows)
    {
        bool oneSettingPerNetwork = rows.GroupBy(r => r.Cell.Variant).All(g => g.Count() == 1);
        var lines = new List<string>();
        foreach (var mechanism in rows.Where(r => !Baselines.Contains(r.Cell.Variant)))
        foreach (var baseline in rows.Where(r => Baselines.Contains(r.Cell.Variant)))
        {
            bool sameSetting = (mechanism.Cell with { Variant = "" }) == (baseline.Cell with { Variant = "" });
            if (!sameSetting && !oneSettingPerNetwork) continue;
            double p = ExperimentStatistics.FisherExactTwoSided(mechanism.Solved, mechanism.Seeds - mechanism.Solved, baseline.Solved, baseline.Seeds - baseline.Solved);
            lines.Add(string.Create(Invariant,
                $"FISHER mechanism={mechanism.Cell.Variant} baseline={baseline.Cell.Variant} setting={Setting(mechanism.Cell)}{(sameSetting ? "" : $" baseline_setting={Setting(baseline.Cell)}")} solved={mechanism.Solved}/{mechanism.Seeds} vs {baseline.Solved}/{baseline.Seeds} p={p:0.0000}"));
        }
        if (lines.Count == 0) return;
        output.WriteLine();
        output.WriteLine("Two-sided Fisher exact tests of the solved counts, each mechanism against each baseline:");
        foreach (var line in lines) output.WriteLine(line);
    }

    /// <summary>
    /// Fig. 1: per network and layer, the mean cosine similarity of the actor's and the critic's features for the
    /// untrained networks and after training, and the mean per-seed difference with its bootstrap 95% interval.
    /// </summary>
    private static void PrintSimilarities(TextWriter output, IReadOnlyList<MixMaskRun> runs)
    {
        var lines = new List<string>();
        foreach (var group in runs.Where(r => r.Similarities.Count > 1 && r.Similarities[0].Count > 0).GroupBy(r => r.Cell))
        {
            var list = group.ToList();
            for (int layer = 0; layer < list[0].Similarities[0].Count; layer++)
            {
                var untrained = list.Select(r => r.Similarities[0][layer]).ToList();
                var trained = list.Select(r => r.Similarities[^1][layer]).ToList();
                var delta = trained.Zip(untrained, (t, u) => t - u).ToList();
                var (lower, upper) = ExperimentStatistics.BootstrapMeanInterval(delta);
                lines.Add(string.Create(Invariant,
                    $"SIMILARITY variant={group.Key.Variant} setting={Setting(group.Key)} layer={layer + 1} seeds={list.Count} untrained={untrained.Average():0.000} trained={trained.Average():0.000} delta={delta.Average():0.000} delta_ci95=[{lower:0.000},{upper:0.000}]"));
            }
        }
        if (lines.Count == 0) return;
        output.WriteLine();
        output.WriteLine("Fig. 1: mean cosine similarity of actor and critic features by layer on 100 random-policy episodes' states, untrained (an independent draw per seed) and after training:");
        foreach (var line in lines) output.WriteLine(line);
    }

    private static string Setting(MixMaskCell cell) => string.Create(Invariant, $"{cell.Algorithm}/lr={cell.LearningRate}/eps0={cell.InitialEpsilon}");

    /// <summary>One report row. ToSolve: per seed, episodes (A2C) or thousands of steps (PPO) to solve, the budget if unsolved.</summary>
    private sealed record Summary(MixMaskCell Cell, int Seeds, int Solved, IReadOnlyList<double> ToSolve,
                                  double CartPoleMean, double CartPoleStd, double NonStationaryMean, double NonStationaryStd, double SecondsPerRun)
    {
        public (double Lower, double Upper) SolvedInterval => ExperimentStatistics.WilsonInterval(Solved, Seeds);
        public (double Lower, double Upper) ToSolveInterval => ExperimentStatistics.BootstrapMeanInterval(ToSolve);
    }

    private static IEnumerable<Summary> Summarise(IReadOnlyList<MixMaskRun> runs, MixMaskSettings settings)
    {
        foreach (var group in runs.GroupBy(r => r.Cell))
        {
            var list = group.ToList();
            var toSolve = list.Select(r => ToSolve(r, settings)).ToList();
            var cp = list.Select(r => r.FinalCartPole).ToList();
            var ncp = list.Select(r => r.FinalNonStationary).ToList();
            yield return new Summary(group.Key, list.Count, list.Count(r => r.SolvedAt is not null), toSolve,
                                     ExperimentOutput.Mean(cp), ExperimentOutput.Std(cp), ExperimentOutput.Mean(ncp), ExperimentOutput.Std(ncp),
                                     list.Average(r => r.Seconds));
        }
    }

    // A2C: the solving episode (the budget if unsolved); PPO: the steps at the solving evaluation, in thousands.
    private static double ToSolve(MixMaskRun run, MixMaskSettings settings) => run.Algorithm == MixMaskExperiment.Ppo
        ? (run.SolvedAt is { } e ? run.Steps[e - 1] : settings.Steps) / 1000.0
        : run.SolvedAt ?? settings.Episodes;

    /// <summary>
    /// Writes mixmask-runs.csv (one row per run) and mixmask-curves.csv (one row per run and evaluation). Columns added
    /// after the first ones (algorithm, learning rate, initial ε, steps, feature similarities by layer, ";"-separated)
    /// come last, so older readers of the first columns still work.
    /// </summary>
    public static void WriteCsv(string directory, IReadOnlyList<MixMaskRun> runs)
    {
        var summary = new StringBuilder("variant,seed,network,episodes_run,solved,episodes_to_solve,final_cp_return,final_ncp_return,seconds,algorithm,learning_rate,initial_epsilon,similarity_untrained\n");
        var curves = new StringBuilder("variant,seed,episode,cp_return,ncp_return,algorithm,learning_rate,initial_epsilon,steps,similarity\n");
        foreach (var run in runs)
        {
            string cell = string.Create(Invariant, $"{run.Algorithm},{run.LearningRate},{run.InitialEpsilon}");
            summary.Append(string.Create(Invariant,
                $"{run.Variant},{run.Seed},\"{run.Network}\",{run.EpisodesRun},{(run.SolvedAt is null ? "false" : "true")},{run.SolvedAt?.ToString(Invariant) ?? ""},{run.FinalCartPole:0.###},{run.FinalNonStationary:0.###},{run.Seconds:0.0},{cell},{Similarities(run, 0)}\n"));
            for (int e = 0; e < run.EpisodesRun; e++)
                curves.Append(string.Create(Invariant,
                    $"{run.Variant},{run.Seed},{e + 1},{run.CartPole[e]:0.###},{run.NonStationary[e]:0.###},{cell},{(e < run.Steps.Count ? run.Steps[e].ToString(Invariant) : "")},{Similarities(run, e + 1)}\n"));
        }
        ExperimentOutput.WriteAtomically(Path.Combine(directory, RunsFile), summary.ToString());
        ExperimentOutput.WriteAtomically(Path.Combine(directory, CurvesFile), curves.ToString());
    }

    private static string Similarities(MixMaskRun run, int index) =>
        index < run.Similarities.Count ? string.Join(";", run.Similarities[index].Select(s => s.ToString("0.#####", Invariant))) : "";

    private static IReadOnlyList<double> ParseSimilarities(IReadOnlyList<string> cells, int column) =>
        column < cells.Count && cells[column].Length > 0 ? cells[column].Split(';').Select(c => double.Parse(c, Invariant)).ToArray() : [];

    /// <summary>
    /// Writes mixmask-cp.svg and mixmask-ncp.svg (every variant run), and, when more than one of the paper's figures
    /// is covered, one pair per figure (mixmask-fig4-cp.svg, …) so no chart has more lines than colours.
    /// A run that stopped early (solved) carries its last evaluation forward to the episode budget.
    /// </summary>
    public static void WriteCharts(string directory, IReadOnlyList<MixMaskRun> runs, MixMaskSettings settings)
    {
        if (runs.Count == 0) return;
        var settingsGroups = runs.GroupBy(r => (r.Algorithm, r.LearningRate, r.InitialEpsilon)).ToList();
        if (settingsGroups.Count > 1)
        {
            // A grid: one pair of charts per (algorithm, learning rate, initial ε), every network on it.
            foreach (var group in settingsGroups)
            {
                var (algorithm, rate, epsilon) = group.Key;
                string stem = string.Create(Invariant, $"mixmask-{algorithm}-lr{rate}-eps{epsilon}");
                WritePair(directory, stem, group.Select(r => r.Variant).Distinct().ToList(), group.ToList(), settings,
                          string.Create(Invariant, $" ({algorithm}, lr {rate}, ε0 {epsilon})"));
            }
            return;
        }
        var variants = runs.Select(r => r.Variant).Distinct().ToList();
        WritePair(directory, "mixmask", variants, runs, settings, "");
        var figures = variants.GroupBy(MixMaskVariants.FigureOf).ToList();
        if (figures.Count > 1 || variants.Count > 10)
        {
            foreach (var figure in figures)
                WritePair(directory, $"mixmask-{figure.Key}", figure.ToList(), runs, settings, $" ({Caption(figure.Key)})");
        }
    }

    private static string Caption(string figure) => figure switch
    {
        "fig4" => "baselines vs mix/mask, cf. Fig. 4",
        "fig5" => "representations, cf. Fig. 5",
        "fig7-skip" => "skip connections, cf. Fig. 7",
        "fig7-aux" => "auxiliary mechanisms, cf. Fig. 7",
        "fig7-contrastive" => "contrastive learning, cf. Fig. 7",
        "fig7-multiobjective" => "scalarisation and PCGrad, cf. Fig. 7",
        "fig7-gaussian" => "Gaussian mechanisms",
        "fig7-gaussian-sd" => "Gaussian mechanisms, state-dependent covariance",
        "controls" => "depth-matched separated, mix-and-mask without LayerNorm",
        _ => figure,
    };

    private static void WritePair(string directory, string stem, IReadOnlyList<string> variants, IReadOnlyList<MixMaskRun> runs,
                                  MixMaskSettings settings, string suffix)
    {
        int budget = settings.IsPpo ? (int)(settings.Steps / settings.EvaluateEvery) : settings.Episodes;
        foreach (var (name, title, select) in new (string, string, Func<MixMaskRun, IReadOnlyList<double>>)[]
                 {
                     ("cp", "CartPole-v1 (CP)", r => r.CartPole),
                     ("ncp", "NonStationaryCartPole-v1 (nCP)", r => r.NonStationary),
                 })
        {
            var curves = variants.Select(v => new LearningCurve(v, runs.Where(r => r.Variant == v && r.EpisodesRun > 0)
                                                                         .Select(r => CarriedForward(select(r), budget)))).ToList();
            var options = new LearningCurveSvgOptions
            {
                Title = $"Greedy evaluation on {title} during training, mean ± std over seeds{suffix}",
                XAxisLabel = settings.IsPpo ? $"Evaluation (every {settings.EvaluateEvery} steps)" : "Training episode",
                YAxisLabel = $"Mean return over {settings.EvaluationEpisodes} episodes",
                Width = 960,
                Height = 540,
            };
            LearningCurveSvg.Write(Path.Combine(directory, $"{stem}-{name}.svg"), curves, options);
        }
    }

    private static IReadOnlyList<CurvePoint> CarriedForward(IReadOnlyList<double> values, int budget)
    {
        var points = new List<CurvePoint>(Math.Max(budget, values.Count));
        for (int e = 0; e < Math.Max(budget, values.Count); e++)
            points.Add(new CurvePoint(e + 1, values[Math.Min(e, values.Count - 1)]));
        return points;
    }

    /// <summary>
    /// Reads the runs back from mixmask-runs.csv and mixmask-curves.csv in <paramref name="directory"/>, in file order,
    /// so the table and charts of a sweep that was stopped (or run in parts) can be produced afterwards. Files written
    /// before the grid columns existed read as A2C at the paper's learning rate and initial ε.
    /// </summary>
    public static List<MixMaskRun> ReadCsv(string directory)
    {
        var curves = new Dictionary<(MixMaskCell, ulong), (List<double> Cp, List<double> Ncp, List<long> Steps, List<IReadOnlyList<double>> Similarity)>();
        foreach (var line in File.ReadLines(Path.Combine(directory, CurvesFile)).Skip(1))
        {
            var cells = ExperimentOutput.SplitCsv(line);
            var key = (ReadCell(cells, 0, 5), ulong.Parse(cells[1], Invariant));
            if (!curves.TryGetValue(key, out var curve)) curves[key] = curve = ([], [], [], []);
            if (int.Parse(cells[2], Invariant) != curve.Cp.Count + 1)
                throw new InvalidDataException($"{CurvesFile}: run {key} skips to evaluation {cells[2]}.");
            curve.Cp.Add(double.Parse(cells[3], Invariant));
            curve.Ncp.Add(double.Parse(cells[4], Invariant));
            if (cells.Count > 8 && cells[8].Length > 0) curve.Steps.Add(long.Parse(cells[8], Invariant));
            curve.Similarity.Add(ParseSimilarities(cells, 9));
        }
        var runs = new List<MixMaskRun>();
        foreach (var line in File.ReadLines(Path.Combine(directory, RunsFile)).Skip(1))
        {
            var cells = ExperimentOutput.SplitCsv(line);
            var cell = ReadCell(cells, 0, 9);
            var key = (cell, ulong.Parse(cells[1], Invariant));
            var curve = curves.TryGetValue(key, out var c) ? c : ([], [], [], []);
            if (curve.Cp.Count != int.Parse(cells[3], Invariant))
                throw new InvalidDataException($"{RunsFile}: run {key} ran {cells[3]} evaluations but {CurvesFile} has {curve.Cp.Count}.");
            var similarities = ParseSimilarities(cells, 12);
            runs.Add(new MixMaskRun(cell.Variant, key.Item2, cells[2], curve.Cp, curve.Ncp,
                                    cells[5].Length == 0 ? null : int.Parse(cells[5], Invariant), double.Parse(cells[8], Invariant))
            {
                Algorithm = cell.Algorithm,
                LearningRate = cell.LearningRate,
                InitialEpsilon = cell.InitialEpsilon,
                Steps = curve.Steps,
                Similarities = similarities.Count == 0 ? [] : [similarities, .. curve.Similarity],
            });
        }
        return runs;
    }

    // The grid cell of a CSV row: the variant in column 0, then algorithm, learning rate and initial ε from column `first` on.
    private static MixMaskCell ReadCell(IReadOnlyList<string> cells, int variant, int first) => cells.Count > first + 2
        ? new MixMaskCell(cells[first], cells[variant], float.Parse(cells[first + 1], Invariant), float.Parse(cells[first + 2], Invariant))
        : new MixMaskCell(MixMaskExperiment.A2c, cells[variant], MixMaskExperiment.PaperLearningRate, MixMaskExperiment.PaperInitialEpsilon);
}
