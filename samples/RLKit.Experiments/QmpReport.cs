using System.Globalization;
using System.Text;
using RLKit.Training.Metrics;

namespace RLKit.Experiments;

/// <summary>One evaluation of a run: after which iteration, at how many environment steps (summed over tasks), and each task's success rate and mean return.</summary>
internal sealed record QmpEvaluation(int Iteration, long Steps, IReadOnlyList<double> Success, IReadOnlyList<double> Returns)
{
    /// <summary>The average multitask success rate (the paper's y axis).</summary>
    public double SuccessRate => Success.Average();

    /// <summary>Tasks whose success rate is at least <see cref="QmpReport.SolvedThreshold"/>.</summary>
    public int TasksSolved => Success.Count(s => s >= QmpReport.SolvedThreshold);

    /// <summary>The mean evaluation return over tasks: a finer measure than success while no task is solved yet.</summary>
    public double MeanReturn => Returns.Average();
}

/// <summary>
/// One finished run (environment × method × seed): its budget, timing, the method's options, its evaluations and, for
/// the QMP methods, the mean selection matrix (row i = task i's data, column j = the policy whose action was executed).
/// </summary>
internal sealed record QmpRun(string Environment, string Method, ulong Seed, int Iterations, long EnvironmentSteps, int EvaluateEvery,
                              int EvaluationEpisodes, double Seconds, double EvaluationSeconds, string Options, IReadOnlyList<string> TaskIds,
                              IReadOnlyList<QmpEvaluation> Evaluations, double[,]? Selection)
{
    public QmpEvaluation Final => Evaluations[^1];

    /// <summary>Wall time per iteration without the evaluations.</summary>
    public double SecondsPerIteration => (Seconds - EvaluationSeconds) / Iterations;

    public double SecondsPerEvaluation => EvaluationSeconds / Evaluations.Count;

    /// <summary>The mean of the average success rate over every evaluation: the area under the curve, per evaluation (higher = learnt sooner).</summary>
    public double AucSuccess => Evaluations.Average(e => e.SuccessRate);

    /// <summary>The mean over every evaluation of the mean return over tasks (higher = better sooner).</summary>
    public double AucReturn => Evaluations.Average(e => e.MeanReturn);

    /// <summary>The environment steps of the first evaluation with every task at success 1, or null.</summary>
    public long? StepsToFullSuccess => Evaluations.FirstOrDefault(e => e.SuccessRate >= 1)?.Steps;
}

/// <summary>
/// The qmp command's files and outputs. Per run directory: run.csv (the run's one summary row, written last: a run is
/// finished once it exists), eval.csv (one row per evaluation and task), selection.csv (the mean selection matrix of the
/// QMP methods) and the library's progress.csv. Per output directory: the tables and RESULT lines, qmp-&lt;env&gt;-runs.csv
/// and the SVGs.
/// </summary>
internal static class QmpReport
{
    /// <summary>A task counts as solved when its final success rate is at least this (the paper's "solves 8 of 10 tasks").</summary>
    public const double SolvedThreshold = 0.8;

    public const string RunFile = "run.csv";
    public const string EvaluationFile = "eval.csv";
    public const string SelectionFile = "selection.csv";

    private const string RunHeader = "env,method,seed,iterations,env_steps,eval_every,eval_episodes,seconds,eval_seconds,task_ids,options";
    private const string EvaluationHeader = "iteration,env_steps,task,success,return";
    private const string SelectionHeader = "task,policy,fraction";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Writes eval.csv (every evaluation so far), atomically; called after each evaluation so a stopped run keeps its curve.</summary>
    public static void WriteEvaluations(string runDirectory, IReadOnlyList<QmpEvaluation> evaluations)
    {
        var text = new StringBuilder(EvaluationHeader).Append('\n');
        foreach (var e in evaluations)
        {
            for (int task = 0; task < e.Success.Count; task++)
                text.Append(string.Create(Invariant, $"{e.Iteration},{e.Steps},{task},{e.Success[task]:R},{e.Returns[task]:R}\n"));
        }
        ExperimentOutput.WriteAtomically(Path.Combine(runDirectory, EvaluationFile), text.ToString());
    }

    /// <summary>Writes a finished run: eval.csv, selection.csv (when the method reported selections), then run.csv.</summary>
    public static void WriteRun(string runDirectory, QmpRun run)
    {
        WriteEvaluations(runDirectory, run.Evaluations);
        string selectionPath = Path.Combine(runDirectory, SelectionFile);
        if (run.Selection is { } selection)
        {
            var text = new StringBuilder(SelectionHeader).Append('\n');
            for (int i = 0; i < selection.GetLength(0); i++)
                for (int j = 0; j < selection.GetLength(1); j++) text.Append(string.Create(Invariant, $"{i},{j},{selection[i, j]:R}\n"));
            ExperimentOutput.WriteAtomically(selectionPath, text.ToString());
        }
        else File.Delete(selectionPath);
        ExperimentOutput.WriteAtomically(Path.Combine(runDirectory, RunFile), RunHeader + "\n" + string.Create(Invariant,
            $"{run.Environment},{run.Method},{run.Seed},{run.Iterations},{run.EnvironmentSteps},{run.EvaluateEvery},{run.EvaluationEpisodes},{run.Seconds:0.###},{run.EvaluationSeconds:0.###},{string.Join(' ', run.TaskIds)},\"{run.Options.Replace('"', '\'')}\"\n"));
    }

    /// <summary>
    /// Every finished run of <paramref name="env"/> under <paramref name="directory"/> (any depth, in path order): the
    /// directories holding a run.csv.
    /// </summary>
    /// <exception cref="InvalidDataException">If a run's files disagree (an evaluation row missing a task, …).</exception>
    public static List<QmpRun> ReadRuns(string directory, QmpEnvironment env)
    {
        if (!Directory.Exists(directory)) return [];
        var runs = new List<QmpRun>();
        foreach (string path in Directory.EnumerateFiles(directory, RunFile, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string runDirectory = Path.GetDirectoryName(path)!;
            var cells = ExperimentOutput.ReadCsv(path, RunHeader).Single();
            if (cells[0] != env.Name) continue;
            var taskIds = cells[9].Split(' ');
            runs.Add(new QmpRun(cells[0], cells[1], ulong.Parse(cells[2], Invariant), int.Parse(cells[3], Invariant), long.Parse(cells[4], Invariant),
                                int.Parse(cells[5], Invariant), int.Parse(cells[6], Invariant), double.Parse(cells[7], Invariant), double.Parse(cells[8], Invariant),
                                cells[10], taskIds, ReadEvaluations(runDirectory, taskIds.Length), ReadSelection(runDirectory, taskIds.Length)));
        }
        return runs;
    }

    private static List<QmpEvaluation> ReadEvaluations(string runDirectory, int tasks)
    {
        string path = Path.Combine(runDirectory, EvaluationFile);
        var evaluations = new List<QmpEvaluation>();
        var rows = ExperimentOutput.ReadCsv(path, EvaluationHeader).ToList();
        if (rows.Count == 0 || rows.Count % tasks != 0)
            throw new InvalidDataException($"{path}: {rows.Count} rows is not a whole number of evaluations of {tasks} tasks.");
        for (int start = 0; start < rows.Count; start += tasks)
        {
            var group = rows.GetRange(start, tasks);
            if (group.Select((r, t) => int.Parse(r[2], Invariant) == t && r[0] == group[0][0] && r[1] == group[0][1]).Contains(false))
                throw new InvalidDataException($"{path}: the rows from line {start + 2} are not one evaluation of tasks 0..{tasks - 1}.");
            evaluations.Add(new QmpEvaluation(int.Parse(group[0][0], Invariant), long.Parse(group[0][1], Invariant),
                                              group.Select(r => double.Parse(r[3], Invariant)).ToArray(),
                                              group.Select(r => double.Parse(r[4], Invariant)).ToArray()));
        }
        return evaluations;
    }

    private static double[,]? ReadSelection(string runDirectory, int tasks)
    {
        string path = Path.Combine(runDirectory, SelectionFile);
        if (!File.Exists(path)) return null;
        var selection = new double[tasks, tasks];
        int count = 0;
        foreach (var cells in ExperimentOutput.ReadCsv(path, SelectionHeader))
        {
            selection[int.Parse(cells[0], Invariant), int.Parse(cells[1], Invariant)] = double.Parse(cells[2], Invariant);
            count++;
        }
        if (count != tasks * tasks) throw new InvalidDataException($"{path}: {count} entries, expected {tasks * tasks}.");
        return selection;
    }

    /// <summary>The runs of <paramref name="methods"/>, in that order, then by seed.</summary>
    public static List<QmpRun> Select(IReadOnlyList<QmpRun> runs, IReadOnlyList<string> methods) =>
        methods.Distinct().SelectMany(m => runs.Where(r => r.Method == m).OrderBy(r => r.Seed)).ToList();

    private sealed record Summary(string Method, int Iterations, long Steps, IReadOnlyList<QmpRun> Runs)
    {
        public double[] Final => Runs.Select(r => r.Final.SuccessRate).ToArray();
        public double[] Solved => Runs.Select(r => (double)r.Final.TasksSolved).ToArray();
        public double[] Auc => Runs.Select(r => r.AucSuccess).ToArray();
        public double[] FinalReturn => Runs.Select(r => r.Final.MeanReturn).ToArray();
        public double[] AucReturn => Runs.Select(r => r.AucReturn).ToArray();
    }

    /// <summary>One summary per method and budget (runs of one method with other iteration counts form their own row), in the runs' order.</summary>
    private static List<Summary> Summarise(IReadOnlyList<QmpRun> runs) =>
        runs.GroupBy(r => (r.Method, r.Iterations, r.EnvironmentSteps)).Select(g => new Summary(g.Key.Method, g.Key.Iterations, g.Key.EnvironmentSteps, g.ToList())).ToList();

    /// <summary>The method table, the final success per task, and one RESULT line per method.</summary>
    public static void Print(TextWriter output, QmpEnvironment env, IReadOnlyList<QmpRun> runs)
    {
        if (runs.Count == 0)
        {
            output.WriteLine("qmp: no finished runs to report.");
            return;
        }
        var first = runs[0];
        int tasks = first.TaskIds.Count;
        output.WriteLine(string.Create(Invariant,
            $"QMP (seed 002) on the {env.Description}: {tasks} tasks; one iteration = every task's environment steps then gradient steps of its method's preset (the first iteration fills every buffer to its minimum size); env steps are summed over tasks."));
        output.WriteLine(string.Create(Invariant,
            $"Evaluation: {first.EvaluationEpisodes} greedy episodes per task every {first.EvaluateEvery} iterations' worth of steps and at the end; success = info \"success\" at an episode's last step. Final = the last evaluation; a task is solved at final success ≥ {SolvedThreshold}; AUC = mean success over all evaluations; return = the mean evaluation return over tasks (final, and its mean over all evaluations); 100% = the first evaluation with every task at 1 (mean over the seeds that got there). Mean ± std over seeds (population std)."));
        output.WriteLine();
        var summaries = Summarise(runs);
        string[] header = ["method", "seeds", "iterations", "env steps", "final success", "tasks solved", "auc success", "final return", "auc return", "100% at (steps)", "s/iteration", "s/eval"];
        var table = summaries.Select(s => (IReadOnlyList<string>)
        [
            s.Method,
            s.Runs.Count.ToString(Invariant),
            s.Iterations.ToString(Invariant),
            s.Steps.ToString(Invariant),
            PlusMinus(s.Final, "0.00"),
            PlusMinus(s.Solved, "0.0"),
            PlusMinus(s.Auc, "0.00"),
            PlusMinus(s.FinalReturn, "0.0"),
            PlusMinus(s.AucReturn, "0.0"),
            FullSuccess(s.Runs),
            string.Create(Invariant, $"{s.Runs.Average(r => r.SecondsPerIteration):0.00}"),
            string.Create(Invariant, $"{s.Runs.Average(r => r.SecondsPerEvaluation):0.0}"),
        ]).ToList();
        ExperimentOutput.WriteTable(output, header, table);
        output.WriteLine();
        output.WriteLine("Final success per task:");
        string[] taskHeader = ["method", .. Enumerable.Range(0, tasks).Select(t => $"task {t}")];
        var taskTable = summaries.Select(s => (IReadOnlyList<string>)
            [s.Method, .. Enumerable.Range(0, tasks).Select(t => PlusMinus(s.Runs.Select(r => r.Final.Success[t]).ToArray(), "0.00"))]).ToList();
        ExperimentOutput.WriteTable(output, taskHeader, taskTable);
        output.WriteLine();
        output.WriteLine("Final evaluation return per task:");
        var returnTable = summaries.Select(s => (IReadOnlyList<string>)
            [s.Method, .. Enumerable.Range(0, tasks).Select(t => PlusMinus(s.Runs.Select(r => r.Final.Returns[t]).ToArray(), "0.0"))]).ToList();
        ExperimentOutput.WriteTable(output, taskHeader, returnTable);
        foreach (var s in summaries.Where(s => s.Runs.Any(r => r.Selection is not null)))
        {
            output.WriteLine();
            output.WriteLine($"{s.Method}: mean selection proportions over training (row = task whose data, column = policy executed; step-weighted, mean over seeds):");
            var mean = MeanSelection(s.Runs)!;
            string[] selectionHeader = ["task", .. Enumerable.Range(0, tasks).Select(j => $"π{j}")];
            var rows = Enumerable.Range(0, tasks).Select(i => (IReadOnlyList<string>)
                [$"task {i}", .. Enumerable.Range(0, tasks).Select(j => mean[i, j].ToString("0.00", Invariant))]).ToList();
            ExperimentOutput.WriteTable(output, selectionHeader, rows);
        }
        output.WriteLine();
        foreach (var s in summaries)
        {
            output.WriteLine(string.Create(Invariant,
                $"RESULT exp=qmp env={env.Name} method={s.Method} seeds={s.Runs.Count} env_steps={s.Steps} success={ExperimentOutput.MeanStd(s.Final, "0.00")} tasks_solved={ExperimentOutput.Mean(s.Solved):0.0}"));
        }
    }

    private static string PlusMinus(IReadOnlyList<double> values, string format) =>
        ExperimentOutput.Mean(values).ToString(format, Invariant) + " ± " + ExperimentOutput.Std(values).ToString(format, Invariant);

    private static string FullSuccess(IReadOnlyList<QmpRun> runs)
    {
        var reached = runs.Where(r => r.StepsToFullSuccess is not null).Select(r => (double)r.StepsToFullSuccess!.Value).ToList();
        return reached.Count == 0 ? $"never (0/{runs.Count})" : string.Create(Invariant, $"{reached.Average():0} ({reached.Count}/{runs.Count})");
    }

    /// <summary>The selection matrix averaged over the runs that have one, or null.</summary>
    private static double[,]? MeanSelection(IReadOnlyList<QmpRun> runs)
    {
        var matrices = runs.Select(r => r.Selection).OfType<double[,]>().ToList();
        if (matrices.Count == 0) return null;
        int n = matrices[0].GetLength(0);
        var mean = new double[n, n];
        foreach (var m in matrices)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) mean[i, j] += m[i, j] / matrices.Count;
        return mean;
    }

    /// <summary>
    /// Writes qmp-&lt;env&gt;-runs.csv (one row per run), qmp-&lt;env&gt;-success.svg (average multitask success over
    /// environment steps, one curve per method, mean ± std over seeds: Fig. 4), qmp-&lt;env&gt;-tasks.svg (one panel per
    /// task: Fig. 6) and, per method with selections, qmp-&lt;env&gt;-selection-&lt;method&gt;.svg (own policy omitted from
    /// the colour scale, as Fig. 5 left) and -full.svg.
    /// </summary>
    public static void WriteOutputs(string directory, QmpEnvironment env, IReadOnlyList<QmpRun> runs)
    {
        if (runs.Count == 0) return;
        int tasks = runs[0].TaskIds.Count;
        var summary = new StringBuilder("method,seed,iterations,env_steps,final_success,tasks_solved,auc_success,final_return,auc_return,steps_to_full_success,seconds_per_iteration,seconds_per_evaluation,"
                                        + string.Join(",", Enumerable.Range(0, tasks).Select(t => $"final_success_task{t}")) + "\n");
        foreach (var r in runs)
        {
            summary.Append(string.Create(Invariant,
                $"{r.Method},{r.Seed},{r.Iterations},{r.EnvironmentSteps},{r.Final.SuccessRate:0.####},{r.Final.TasksSolved},{r.AucSuccess:0.####},{r.Final.MeanReturn:0.###},{r.AucReturn:0.###},{r.StepsToFullSuccess?.ToString(Invariant) ?? ""},{r.SecondsPerIteration:0.###},{r.SecondsPerEvaluation:0.###},"));
            summary.Append(string.Join(",", r.Final.Success.Select(s => s.ToString("0.###", Invariant)))).Append('\n');
        }
        ExperimentOutput.WriteAtomically(Path.Combine(directory, $"qmp-{env.Name}-runs.csv"), summary.ToString());

        var methods = runs.Select(r => r.Method).Distinct().ToList();
        string budget = string.Create(Invariant, $"{runs.Max(r => r.Iterations)} iterations");
        foreach (var (name, value, title, axis) in new (string, Func<QmpEvaluation, double>, string, string)[]
                 {
                     ("success", e => e.SuccessRate, "average multitask success rate", "Average success rate"),
                     ("return", e => e.MeanReturn, "mean evaluation return over tasks", "Mean return"),
                 })
        {
            LearningCurveSvg.Write(Path.Combine(directory, $"qmp-{env.Name}-{name}.svg"),
                methods.Select(m => Curve(m, runs, value)).ToList(),
                new LearningCurveSvgOptions
                {
                    Title = $"{env.Title}: {title} ({budget}), mean ± std over seeds",
                    XAxisLabel = "Environment steps (all tasks)",
                    YAxisLabel = axis,
                    Width = 960,
                    Height = 540,
                });
        }

        var panels = Enumerable.Range(0, tasks).Select(t => LearningCurveSvg.Render(
            methods.Select(m => Curve(m, runs, e => e.Success[t])).ToList(),
            new LearningCurveSvgOptions { Title = $"Task {t}", XAxisLabel = "Environment steps (all tasks)", YAxisLabel = "Success rate", Width = 640, Height = 400 })).ToList();
        int columns = (int)Math.Ceiling(Math.Sqrt(tasks));
        ExperimentOutput.WriteAtomically(Path.Combine(directory, $"qmp-{env.Name}-tasks.svg"),
            QmpSvg.Panel(panels, columns, $"{env.Title}: success rate per task ({budget}), mean ± std over seeds"));

        var labels = Enumerable.Range(0, tasks).Select(t => $"task {t}").ToList();
        var policies = Enumerable.Range(0, tasks).Select(t => $"π{t}").ToList();
        foreach (var method in methods)
        {
            var methodRuns = runs.Where(r => r.Method == method).ToList();
            if (MeanSelection(methodRuns) is not { } mean) continue;
            int seeds = methodRuns.Count(r => r.Selection is not null);
            foreach (var (suffix, zero) in new[] { ("", true), ("-full", false) })
            {
                string title = $"{method}, {env.Name}: policies chosen for each task's data";
                string subtitle = $"share of task i's training steps that executed policy j, over training; mean of {seeds} seed(s){(zero ? "; own policy (in brackets) not shaded" : "")}";
                ExperimentOutput.WriteAtomically(Path.Combine(directory, $"qmp-{env.Name}-selection-{method}{suffix}.svg"),
                    QmpSvg.Heatmap(mean, labels, policies, title, subtitle, "Task (data collected for)", "Policy whose action was executed", zero));
            }
        }
    }

    private static LearningCurve Curve(string method, IReadOnlyList<QmpRun> runs, Func<QmpEvaluation, double> value) =>
        new(method, runs.Where(r => r.Method == method)
                        .Select(r => (IReadOnlyList<CurvePoint>)r.Evaluations.Select(e => new CurvePoint(e.Steps, value(e))).ToArray()));
}
