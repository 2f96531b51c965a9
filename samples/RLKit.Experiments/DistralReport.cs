using System.Globalization;
using System.Text;
using RLKit.Training.Metrics;

namespace RLKit.Experiments;

/// <summary>The distral command's outputs: per-subset tables, RESULT lines, the per-run and per-episode CSVs and the learning-curve SVGs.</summary>
internal static class DistralReport
{
    /// <summary>One row per run.</summary>
    public const string RunsFile = "distral-runs.csv";

    /// <summary>One row per run, task and episode.</summary>
    public const string CurvesFile = "distral-curves.csv";

    private const string RunsHeader = "variant,tasks,seed,episodes,max_steps,n_step,final_duration,final_return,auc_return,seconds,env_steps";
    private const string CurvesHeader = "variant,tasks,seed,task,episode,return,duration";

    // LearningCurveSvg has ten colours; a chart with more variants is also drawn in parts of at most this many.
    private const int MaxCurvesPerChart = 10;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The runs of <paramref name="variants"/> on <paramref name="subsets"/>, ordered by subset, then variant, then seed.</summary>
    public static List<DistralRun> Select(IReadOnlyList<DistralRun> runs, IReadOnlyList<string> variants, IReadOnlyList<IReadOnlyList<int>> subsets) =>
        subsets.Select(DistralExperiment.SubsetName).Distinct()
               .SelectMany(s => variants.SelectMany(v => runs.Where(r => r.TaskName == s && r.Variant == v).OrderBy(r => r.Seed)))
               .ToList();

    /// <summary>Per task subset a table of the variants, then one RESULT line per variant and subset.</summary>
    public static void Print(TextWriter output, IReadOnlyList<DistralRun> runs, DistralSettings settings)
    {
        if (runs.Count == 0)
        {
            output.WriteLine("distral: no runs to report.");
            return;
        }
        var first = runs[0];
        output.WriteLine(string.Create(Invariant,
            $"Distral on the two-room grids (seed 001, protocol {settings.Protocol.Name}, {settings.Protocol.Section}): {first.Episodes} episodes per task of ≤ {first.MaxSteps} steps, {first.NStep}-step TD."));
        output.WriteLine("Final: mean over the last 10% of episodes, averaged over tasks. AUC: mean return over every episode and task. Mean ± std over seeds.");
        var summaries = Summarise(runs).ToList();
        foreach (var subset in summaries.GroupBy(s => s.Tasks))
        {
            output.WriteLine();
            output.WriteLine($"Grids {subset.Key}:");
            string[] header = ["variant", "seeds", "episodes", "final duration", "final return", "auc return", "steps/run", "s/run"];
            var table = subset.Select(s => (IReadOnlyList<string>)
            [
                s.Variant,
                s.Seeds.ToString(Invariant),
                s.Episodes.ToString(Invariant),
                string.Create(Invariant, $"{ExperimentOutput.Mean(s.FinalDuration):0.0} ± {ExperimentOutput.Std(s.FinalDuration):0.0}"),
                string.Create(Invariant, $"{ExperimentOutput.Mean(s.FinalReturn):0.00} ± {ExperimentOutput.Std(s.FinalReturn):0.00}"),
                string.Create(Invariant, $"{ExperimentOutput.Mean(s.AucReturn):0.00} ± {ExperimentOutput.Std(s.AucReturn):0.00}"),
                string.Create(Invariant, $"{s.StepsPerRun:0}"),
                string.Create(Invariant, $"{s.SecondsPerRun:0.0}"),
            ]).ToList();
            ExperimentOutput.WriteTable(output, header, table);
            PrintPerTask(output, runs.Where(r => r.TaskName == subset.Key).ToList());
        }
        output.WriteLine();
        foreach (var s in summaries)
        {
            output.WriteLine(string.Create(Invariant,
                $"RESULT exp=distral variant={s.Variant} tasks={s.Tasks} seeds={s.Seeds} episodes={s.Episodes} final_duration={ExperimentOutput.MeanStd(s.FinalDuration, "0.00")} final_return={ExperimentOutput.MeanStd(s.FinalReturn, "0.00")} auc_return={ExperimentOutput.Mean(s.AucReturn):0.00}"));
        }
    }

    /// <summary>
    /// Each grid's final duration per variant (mean ± std over seeds) beside its shortest path, so a variant that solves
    /// one grid and wanders in another shows which.
    /// </summary>
    private static void PrintPerTask(TextWriter output, IReadOnlyList<DistralRun> runs)
    {
        if (runs.Count == 0) return;
        var grids = runs[0].Tasks;
        output.WriteLine("Final duration per grid (shortest path in brackets):");
        string[] header = ["variant", .. grids.Select(g => string.Create(Invariant, $"grid {g} ({ShortestPath(g)})"))];
        var table = runs.GroupBy(r => (r.Variant, r.Episodes)).Select(group => (IReadOnlyList<string>)
        [
            group.Key.Variant,
            .. grids.Select((_, t) =>
            {
                var finals = group.Select(r => r.FinalTaskDuration(t)).ToArray();
                return string.Create(Invariant, $"{ExperimentOutput.Mean(finals):0.0} ± {ExperimentOutput.Std(finals):0.0}");
            }),
        ]).ToList();
        ExperimentOutput.WriteTable(output, header, table);
    }

    /// <summary>The fewest steps from start to goal of Distral grid <paramref name="layout"/>, by breadth-first search over its floor.</summary>
    internal static int ShortestPath(int layout)
    {
        var grid = new RLKit.Envs.Grid.DistralGrid(layout);
        var (start, goal) = (grid.Start, grid.Goal);
        var distance = new Dictionary<(int Row, int Column), int> { [start] = 0 };
        var frontier = new Queue<(int Row, int Column)>([start]);
        while (frontier.Count > 0)
        {
            var cell = frontier.Dequeue();
            if (cell == goal) return distance[cell];
            foreach (var next in new[] { (cell.Row + 1, cell.Column), (cell.Row - 1, cell.Column), (cell.Row, cell.Column - 1), (cell.Row, cell.Column + 1) })
            {
                if (grid.IsWall(next.Item1, next.Item2) || distance.ContainsKey(next)) continue;
                distance[next] = distance[cell] + 1;
                frontier.Enqueue(next);
            }
        }
        throw new InvalidOperationException($"Distral grid {layout} has no path from its start to its goal.");
    }

    private sealed record Summary(string Variant, string Tasks, int Seeds, int Episodes, double[] FinalDuration, double[] FinalReturn,
                                  double[] AucReturn, double StepsPerRun, double SecondsPerRun);

    /// <summary>
    /// One summary per variant and subset, in the runs' order. Runs of one group that stopped at fewer episodes (the
    /// step budget ran out) form their own group, so every RESULT line's episodes is exact.
    /// </summary>
    private static IEnumerable<Summary> Summarise(IReadOnlyList<DistralRun> runs)
    {
        foreach (var group in runs.GroupBy(r => (r.TaskName, r.Variant, r.Episodes)))
        {
            var list = group.ToList();
            yield return new Summary(group.Key.Variant, group.Key.TaskName, list.Count, group.Key.Episodes,
                                     list.Select(r => r.FinalDuration).ToArray(), list.Select(r => r.FinalReturn).ToArray(),
                                     list.Select(r => r.AucReturn).ToArray(), list.Average(r => (double)r.EnvironmentSteps),
                                     list.Average(r => r.Seconds));
        }
    }

    /// <summary>Writes distral-runs.csv (one row per run) and distral-curves.csv (one row per run, task and episode), each atomically.</summary>
    public static void WriteCsv(string directory, IReadOnlyList<DistralRun> runs)
    {
        var summary = new StringBuilder(RunsHeader).Append('\n');
        var curves = new StringBuilder(CurvesHeader).Append('\n');
        foreach (var run in runs)
        {
            summary.Append(string.Create(Invariant,
                $"{run.Variant},{run.TaskName},{run.Seed},{run.Episodes},{run.MaxSteps},{run.NStep},{run.FinalDuration:0.###},{run.FinalReturn:0.####},{run.AucReturn:0.####},{run.Seconds:0.0},{run.EnvironmentSteps}\n"));
            for (int t = 0; t < run.Tasks.Count; t++)
            {
                for (int e = 0; e < run.Episodes; e++)
                    curves.Append(string.Create(Invariant, $"{run.Variant},{run.TaskName},{run.Seed},{run.Tasks[t]},{e + 1},{run.Returns[t][e]:0.######},{run.Durations[t][e]}\n"));
            }
        }
        ExperimentOutput.WriteAtomically(Path.Combine(directory, RunsFile), summary.ToString());
        ExperimentOutput.WriteAtomically(Path.Combine(directory, CurvesFile), curves.ToString());
    }

    /// <summary>
    /// Reads the runs back from distral-runs.csv and distral-curves.csv in <paramref name="directory"/>, in file order.
    /// The summary columns (final, auc) are recomputed from the curves.
    /// </summary>
    /// <exception cref="InvalidDataException">If the files disagree (a run without curves, a skipped episode, …).</exception>
    public static List<DistralRun> ReadCsv(string directory)
    {
        var curves = new Dictionary<(string Variant, string Tasks, ulong Seed), SortedDictionary<int, (List<double> Returns, List<int> Durations)>>();
        foreach (var cells in ExperimentOutput.ReadCsv(Path.Combine(directory, CurvesFile), CurvesHeader))
        {
            var key = (cells[0], cells[1], ulong.Parse(cells[2], Invariant));
            int task = int.Parse(cells[3], Invariant);
            if (!curves.TryGetValue(key, out var perTask)) curves[key] = perTask = [];
            if (!perTask.TryGetValue(task, out var curve)) perTask[task] = curve = ([], []);
            if (int.Parse(cells[4], Invariant) != curve.Returns.Count + 1)
                throw new InvalidDataException($"{CurvesFile}: run {key} task {task} skips to episode {cells[4]}.");
            curve.Returns.Add(double.Parse(cells[5], Invariant));
            curve.Durations.Add(int.Parse(cells[6], Invariant));
        }
        var runs = new List<DistralRun>();
        foreach (var cells in ExperimentOutput.ReadCsv(Path.Combine(directory, RunsFile), RunsHeader))
        {
            var key = (cells[0], cells[1], ulong.Parse(cells[2], Invariant));
            int[] tasks = cells[1].Split('-').Select(t => int.Parse(t, Invariant)).ToArray();
            int episodes = int.Parse(cells[3], Invariant);
            if (!curves.TryGetValue(key, out var perTask) || !perTask.Keys.SequenceEqual(tasks.Order())
                || perTask.Values.Any(c => c.Returns.Count != episodes))
                throw new InvalidDataException($"{RunsFile}: run {key} has {episodes} episodes per task, but {CurvesFile} does not hold them for every task.");
            runs.Add(new DistralRun(key.Item1, tasks, key.Item3, int.Parse(cells[4], Invariant), int.Parse(cells[5], Invariant),
                                    tasks.Select(t => (IReadOnlyList<double>)perTask[t].Returns).ToArray(),
                                    tasks.Select(t => (IReadOnlyList<int>)perTask[t].Durations).ToArray(),
                                    double.Parse(cells[9], Invariant), long.Parse(cells[10], Invariant)));
        }
        return runs;
    }

    /// <summary>
    /// Per task subset, distral-&lt;tasks&gt;-duration.svg and distral-&lt;tasks&gt;-return.svg: one line per variant, the
    /// per-episode mean over tasks, mean ± std over seeds. A subset with more than ten variants is also drawn in parts
    /// (distral-&lt;tasks&gt;-part1-duration.svg, …) so no chart reuses a colour.
    /// </summary>
    public static void WriteCharts(string directory, IReadOnlyList<DistralRun> runs)
    {
        foreach (var subset in runs.GroupBy(r => r.TaskName))
        {
            var variants = subset.Select(r => r.Variant).Distinct().ToList();
            WritePair(directory, $"distral-{subset.Key}", variants, subset.ToList(), "");
            if (variants.Count > MaxCurvesPerChart)
            {
                int parts = (variants.Count + MaxCurvesPerChart - 1) / MaxCurvesPerChart;
                int size = (variants.Count + parts - 1) / parts;
                for (int p = 0; p < parts; p++)
                    WritePair(directory, $"distral-{subset.Key}-part{p + 1}", variants.Skip(p * size).Take(size).ToList(), subset.ToList(),
                              $" (part {p + 1} of {parts})");
            }
        }
    }

    private static void WritePair(string directory, string stem, IReadOnlyList<string> variants, IReadOnlyList<DistralRun> runs, string suffix)
    {
        string tasks = runs[0].TaskName.Replace('-', ',');
        foreach (var (name, label, select) in new (string, string, Func<DistralRun, double[]>)[]
                 {
                     ("duration", "Episode duration (steps)", r => r.MeanDurationCurve),
                     ("return", "Episode return", r => r.MeanReturnCurve),
                 })
        {
            var curves = variants.Select(v => new LearningCurve(v, runs.Where(r => r.Variant == v)
                                                                       .Select(r => (IReadOnlyList<CurvePoint>)select(r).Select((value, e) => new CurvePoint(e + 1, value)).ToArray())))
                                 .ToList();
            var options = new LearningCurveSvgOptions
            {
                Title = $"Grids {tasks}: {label.ToLowerInvariant()} averaged over tasks, mean ± std over seeds{suffix}",
                XAxisLabel = "Episode (per task)",
                YAxisLabel = label,
                Width = 960,
                Height = 540,
            };
            LearningCurveSvg.Write(Path.Combine(directory, $"{stem}-{name}.svg"), curves, options);
        }
    }
}
