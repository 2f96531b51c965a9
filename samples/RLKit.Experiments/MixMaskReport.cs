using System.Globalization;
using System.Text;
using RLKit.Training.Metrics;

namespace RLKit.Experiments;

/// <summary>The mixmask command's outputs: the summary table, RESULT lines, per-run CSVs and the learning-curve SVGs.</summary>
internal static class MixMaskReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Per variant: solved seeds, episodes to solve and the final CP/nCP evaluation, then one RESULT line each.</summary>
    public static void Print(TextWriter output, IReadOnlyList<MixMaskRun> runs, MixMaskSettings settings)
    {
        var rows = Summarise(runs, settings).ToList();
        output.WriteLine(string.Create(Invariant,
            $"Mix & Mask on CartPole-v1: A2C, paper options{(settings.OrthogonalInitialization ? " except orthogonal initialisation" : "")}, ≤ {settings.Episodes} training episodes, greedy evaluation on {settings.EvaluationEpisodes} episodes after each, solved at CP mean ≥ {settings.SolvedThreshold}."));
        output.WriteLine(string.Create(Invariant,
            $"Episodes to solve: mean ± std over all seeds, unsolved counted as {settings.Episodes}. Final CP / nCP: the evaluation after the last training episode, mean ± std over seeds."));
        output.WriteLine();
        string[] header = ["variant", "solved", "episodes to solve", "final CP", "final nCP", "s/run"];
        var table = rows.Select(r => (IReadOnlyList<string>)new[]
        {
            r.Variant,
            $"{r.Solved}/{r.Seeds}",
            string.Create(Invariant, $"{r.EpisodesMean:0.0} ± {r.EpisodesStd:0.0}"),
            string.Create(Invariant, $"{r.CartPoleMean:0.0} ± {r.CartPoleStd:0.0}"),
            string.Create(Invariant, $"{r.NonStationaryMean:0.0} ± {r.NonStationaryStd:0.0}"),
            string.Create(Invariant, $"{r.SecondsPerRun:0}"),
        }).ToList();
        ExperimentOutput.WriteTable(output, header, table);
        output.WriteLine();
        foreach (var r in rows)
        {
            output.WriteLine(string.Create(Invariant,
                $"RESULT variant={r.Variant} env=CartPole-v1 solved_seeds={r.Solved}/{r.Seeds} mean_episodes_to_solve={r.EpisodesMean:0.0} cp_return={r.CartPoleMean:0.0} ncp_return={r.NonStationaryMean:0.0}"));
        }
    }

    private sealed record Summary(string Variant, int Seeds, int Solved, double EpisodesMean, double EpisodesStd,
                                  double CartPoleMean, double CartPoleStd, double NonStationaryMean, double NonStationaryStd, double SecondsPerRun);

    private static IEnumerable<Summary> Summarise(IReadOnlyList<MixMaskRun> runs, MixMaskSettings settings)
    {
        foreach (var group in runs.GroupBy(r => r.Variant))
        {
            var list = group.ToList();
            var episodes = list.Select(r => (double)(r.SolvedAt ?? settings.Episodes)).ToList();
            var cp = list.Select(r => r.FinalCartPole).ToList();
            var ncp = list.Select(r => r.FinalNonStationary).ToList();
            yield return new Summary(group.Key, list.Count, list.Count(r => r.SolvedAt is not null),
                                     ExperimentOutput.Mean(episodes), ExperimentOutput.Std(episodes), ExperimentOutput.Mean(cp), ExperimentOutput.Std(cp),
                                     ExperimentOutput.Mean(ncp), ExperimentOutput.Std(ncp),
                                     list.Average(r => r.Seconds));
        }
    }

    /// <summary>Writes mixmask-runs.csv (one row per run) and mixmask-curves.csv (one row per run and training episode).</summary>
    public static void WriteCsv(string directory, IReadOnlyList<MixMaskRun> runs)
    {
        var summary = new StringBuilder("variant,seed,network,episodes_run,solved,episodes_to_solve,final_cp_return,final_ncp_return,seconds\n");
        var curves = new StringBuilder("variant,seed,episode,cp_return,ncp_return\n");
        foreach (var run in runs)
        {
            summary.Append(string.Create(Invariant,
                $"{run.Variant},{run.Seed},\"{run.Network}\",{run.EpisodesRun},{(run.SolvedAt is null ? "false" : "true")},{run.SolvedAt?.ToString(Invariant) ?? ""},{run.FinalCartPole:0.###},{run.FinalNonStationary:0.###},{run.Seconds:0.0}\n"));
            for (int e = 0; e < run.EpisodesRun; e++)
                curves.Append(string.Create(Invariant, $"{run.Variant},{run.Seed},{e + 1},{run.CartPole[e]:0.###},{run.NonStationary[e]:0.###}\n"));
        }
        ExperimentOutput.WriteAtomically(Path.Combine(directory, "mixmask-runs.csv"), summary.ToString());
        ExperimentOutput.WriteAtomically(Path.Combine(directory, "mixmask-curves.csv"), curves.ToString());
    }

    /// <summary>
    /// Writes mixmask-cp.svg and mixmask-ncp.svg (every variant run), and, when more than one of the paper's figures
    /// is covered, one pair per figure (mixmask-fig4-cp.svg, …) so no chart has more lines than colours.
    /// A run that stopped early (solved) carries its last evaluation forward to the episode budget.
    /// </summary>
    public static void WriteCharts(string directory, IReadOnlyList<MixMaskRun> runs, MixMaskSettings settings)
    {
        if (runs.Count == 0) return;
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
        "controls" => "depth-matched separated, mix-and-mask without LayerNorm",
        _ => figure,
    };

    private static void WritePair(string directory, string stem, IReadOnlyList<string> variants, IReadOnlyList<MixMaskRun> runs,
                                  MixMaskSettings settings, string suffix)
    {
        foreach (var (name, title, select) in new (string, string, Func<MixMaskRun, IReadOnlyList<double>>)[]
                 {
                     ("cp", "CartPole-v1 (CP)", r => r.CartPole),
                     ("ncp", "NonStationaryCartPole-v1 (nCP)", r => r.NonStationary),
                 })
        {
            var curves = variants.Select(v => new LearningCurve(v, runs.Where(r => r.Variant == v && r.EpisodesRun > 0)
                                                                         .Select(r => CarriedForward(select(r), settings.Episodes)))).ToList();
            var options = new LearningCurveSvgOptions
            {
                Title = $"Greedy evaluation on {title} during training, mean ± std over seeds{suffix}",
                XAxisLabel = "Training episode",
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
    /// so the table and charts of a sweep that was stopped (or run in parts) can be produced afterwards.
    /// </summary>
    public static List<MixMaskRun> ReadCsv(string directory)
    {
        var curves = new Dictionary<(string, ulong), (List<double> Cp, List<double> Ncp)>();
        foreach (var line in File.ReadLines(Path.Combine(directory, "mixmask-curves.csv")).Skip(1))
        {
            var cells = ExperimentOutput.SplitCsv(line);
            var key = (cells[0], ulong.Parse(cells[1], Invariant));
            if (!curves.TryGetValue(key, out var curve)) curves[key] = curve = ([], []);
            if (int.Parse(cells[2], Invariant) != curve.Cp.Count + 1)
                throw new InvalidDataException($"mixmask-curves.csv: run {key} skips to episode {cells[2]}.");
            curve.Cp.Add(double.Parse(cells[3], Invariant));
            curve.Ncp.Add(double.Parse(cells[4], Invariant));
        }
        var runs = new List<MixMaskRun>();
        foreach (var line in File.ReadLines(Path.Combine(directory, "mixmask-runs.csv")).Skip(1))
        {
            var cells = ExperimentOutput.SplitCsv(line);
            var key = (cells[0], ulong.Parse(cells[1], Invariant));
            var curve = curves.TryGetValue(key, out var c) ? c : ([], []);
            if (curve.Cp.Count != int.Parse(cells[3], Invariant))
                throw new InvalidDataException($"mixmask-runs.csv: run {key} ran {cells[3]} episodes but mixmask-curves.csv has {curve.Cp.Count}.");
            runs.Add(new MixMaskRun(key.Item1, key.Item2, cells[2], curve.Cp, curve.Ncp,
                                    cells[5].Length == 0 ? null : int.Parse(cells[5], Invariant), double.Parse(cells[8], Invariant)));
        }
        return runs;
    }
}
