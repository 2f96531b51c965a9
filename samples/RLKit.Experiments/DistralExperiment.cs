using System.Diagnostics;
using System.Globalization;
using RLKit.Algorithms.Distral;
using RLKit.Algorithms.SoftQ;
using RLKit.Environments;
using RLKit.Environments.Wrappers;
using RLKit.Envs.Grid;
using RLKit.Training;

namespace RLKit.Experiments;

/// <summary>The distral command's options: a protocol and what the command line changed in it.</summary>
internal sealed record DistralSettings
{
    public DistralProtocol Protocol { get; init; } = DistralProtocol.Thesis;
    /// <summary>The variants, or null for the protocol's (distral-report: every variant in the CSVs).</summary>
    public IReadOnlyList<string>? Variants { get; init; }
    /// <summary>The task subsets (grid numbers), or null for the protocol's (distral-report: every subset in the CSVs).</summary>
    public IReadOnlyList<IReadOnlyList<int>>? Subsets { get; init; }
    public int Seeds { get; init; } = 5;
    public ulong FirstSeed { get; init; }
    public int? Episodes { get; init; }
    public int? MaxSteps { get; init; }
    public int? NStep { get; init; }
    /// <summary>The output directory, or null for runs/distral/&lt;protocol&gt;.</summary>
    public string? OutputDirectory { get; init; }

    public IReadOnlyList<string> EffectiveVariants => Variants ?? Protocol.Variants;
    public IReadOnlyList<IReadOnlyList<int>> EffectiveSubsets => Subsets ?? Protocol.Subsets;
    public int EffectiveEpisodes => Episodes ?? Protocol.Episodes;
    public int EffectiveMaxSteps => MaxSteps ?? Protocol.MaxSteps;
    public int EffectiveNStep => NStep ?? Protocol.NStep;
    public string EffectiveOutputDirectory => OutputDirectory ?? Path.Combine("runs", "distral", Protocol.Name);
}

/// <summary>
/// One run (variant × task subset × seed): each task's first <see cref="Episodes"/> episode returns and lengths
/// (durations), the wall time and the environment steps taken (summed over tasks).
/// </summary>
internal sealed record DistralRun(string Variant, IReadOnlyList<int> Tasks, ulong Seed, int MaxSteps, int NStep,
                                  IReadOnlyList<IReadOnlyList<double>> Returns, IReadOnlyList<IReadOnlyList<int>> Durations,
                                  double Seconds, long EnvironmentSteps)
{
    /// <summary>Episodes per task (every task has the same number).</summary>
    public int Episodes => Returns[0].Count;

    /// <summary>The subset's name as in file names and RESULT lines, e.g. "4-5-7".</summary>
    public string TaskName => DistralExperiment.SubsetName(Tasks);

    /// <summary>Per episode, the return averaged over tasks.</summary>
    public double[] MeanReturnCurve => MeanOverTasks(Returns);

    /// <summary>Per episode, the duration (steps) averaged over tasks.</summary>
    public double[] MeanDurationCurve => MeanOverTasks(Durations.Select(d => (IReadOnlyList<double>)d.Select(x => (double)x).ToArray()).ToList());

    /// <summary>The last 10 % of the episodes (at least one): what "final" averages over.</summary>
    public int FinalWindow => Math.Max(1, (int)Math.Round(Episodes * 0.1));

    /// <summary>The mean duration over the last 10 % of episodes, averaged over tasks.</summary>
    public double FinalDuration => MeanDurationCurve[^FinalWindow..].Average();

    /// <summary>Task <paramref name="task"/>'s (an index into <see cref="Tasks"/>) mean duration over the last 10% of episodes.</summary>
    public double FinalTaskDuration(int task) => Durations[task].Skip(Episodes - FinalWindow).Average();

    /// <summary>The mean return over the last 10 % of episodes, averaged over tasks.</summary>
    public double FinalReturn => MeanReturnCurve[^FinalWindow..].Average();

    /// <summary>The mean return over every episode and task (the area under the learning curve, per episode).</summary>
    public double AucReturn => MeanReturnCurve.Average();

    private double[] MeanOverTasks(IReadOnlyList<IReadOnlyList<double>> perTask) =>
        Enumerable.Range(0, Episodes).Select(e => perTask.Average(t => t[e])).ToArray();
}

/// <summary>
/// Seed 001's chapter 3 (§3.2–3.5): Distral and its baselines on subsets of the two-room grids 4–8. Every task of a
/// subset is stepped side by side (one sub-environment per task) until each task has finished the episode budget,
/// as the thesis's loop "while the minimum number of episodes over tasks &lt; N"; the curves keep each task's first N
/// episodes. Episodes end at the goal or are truncated at the protocol's step limit.
/// </summary>
internal static class DistralExperiment
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static int Run(DistralSettings settings)
    {
        string directory = settings.EffectiveOutputDirectory;
        Directory.CreateDirectory(directory);
        // Runs already in --out (earlier parts of a sweep) are kept; a run repeated here replaces its old row.
        var runs = File.Exists(Path.Combine(directory, DistralReport.RunsFile)) ? DistralReport.ReadCsv(directory) : [];
        if (Incompatibility(runs, settings) is { } error)
        {
            Console.Error.WriteLine($"error: {error}");
            return 2;
        }
        var variants = settings.EffectiveVariants;
        var subsets = settings.EffectiveSubsets;
        var total = Stopwatch.StartNew();
        Console.Error.WriteLine(string.Create(Invariant,
            $"distral: protocol {settings.Protocol.Name} ({settings.Protocol.Section}), {variants.Count} variant(s) × {subsets.Count} task subset(s) × {settings.Seeds} seed(s), {settings.EffectiveEpisodes} episodes per task of ≤ {settings.EffectiveMaxSteps} steps, {settings.EffectiveNStep}-step TD, writing to {directory}"));

        foreach (var subset in subsets)
        {
            for (ulong seed = settings.FirstSeed; seed < settings.FirstSeed + (ulong)settings.Seeds; seed++)
            {
                foreach (var variant in variants)
                {
                    var run = RunOne(variant, subset, seed, settings);
                    runs.RemoveAll(r => r.Variant == run.Variant && r.TaskName == run.TaskName && r.Seed == run.Seed);
                    runs.Add(run);
                    // Written after every run so a long sweep that is stopped keeps what it finished.
                    DistralReport.WriteCsv(directory, runs);
                }
            }
        }

        var selected = DistralReport.Select(runs, variants, subsets);
        DistralReport.Print(Console.Out, selected, settings);
        DistralReport.WriteCharts(directory, selected);
        Console.Error.WriteLine(string.Create(Invariant, $"distral: done in {total.Elapsed.TotalMinutes:0.0} min"));
        return 0;
    }

    /// <summary>
    /// The tables, RESULT lines and charts of the runs recorded in --out's CSVs (e.g. of a stopped sweep, or of one run
    /// in parts); --variants and --tasks, when given, select and order them.
    /// </summary>
    public static int Report(DistralSettings settings)
    {
        string directory = settings.EffectiveOutputDirectory;
        if (!File.Exists(Path.Combine(directory, DistralReport.RunsFile)))
        {
            Console.Error.WriteLine($"error: {directory} holds no {DistralReport.RunsFile} (give the sweep's --out or --protocol)");
            return 2;
        }
        var recorded = DistralReport.ReadCsv(directory);
        var variants = settings.Variants ?? recorded.Select(r => r.Variant).Distinct().ToList();
        var subsets = settings.Subsets ?? recorded.Select(r => r.Tasks).DistinctBy(SubsetName).ToList();
        var runs = DistralReport.Select(recorded, variants, subsets);
        DistralReport.Print(Console.Out, runs, settings);
        DistralReport.WriteCharts(directory, runs);
        return 0;
    }

    /// <summary>"4-5-7" for grids 4, 5 and 7.</summary>
    public static string SubsetName(IReadOnlyList<int> tasks) => string.Join("-", tasks);

    /// <summary>
    /// One directory holds one protocol's settings: why the runs already there (of another episode budget, step limit
    /// or n) must not be mixed with these, or null when they may.
    /// </summary>
    private static string? Incompatibility(IReadOnlyList<DistralRun> runs, DistralSettings settings) =>
        runs.FirstOrDefault(r => r.Episodes != settings.EffectiveEpisodes || r.MaxSteps != settings.EffectiveMaxSteps || r.NStep != settings.EffectiveNStep)
            is { } run
            ? string.Create(Invariant,
                $"{settings.EffectiveOutputDirectory} already holds runs of {run.Episodes} episodes of ≤ {run.MaxSteps} steps, {run.NStep}-step (e.g. {run.Variant} on {run.TaskName}, seed {run.Seed}), but these settings ask for {settings.EffectiveEpisodes} of ≤ {settings.EffectiveMaxSteps} steps, {settings.EffectiveNStep}-step: choose another --out.")
            : null;

    private static DistralRun RunOne(string variant, IReadOnlyList<int> tasks, ulong seed, DistralSettings settings)
    {
        int episodes = settings.EffectiveEpisodes, maxSteps = settings.EffectiveMaxSteps, nStep = settings.EffectiveNStep;
        string label = $"[{variant} {SubsetName(tasks)} seed {seed}]";
        var recorder = new EpisodeRecorder(tasks.Count, episodes, label);
        var taskSet = new TaskSet($"distral-grids-{SubsetName(tasks)}",
                                  tasks.Select(t => new DistralGrid(t).Id).ToArray(),
                                  task => recorder.Wrap(task, new TimeLimit(new DistralGrid(tasks[task]), maxSteps)));
        // Training ends once every task has N episodes (the thesis's loop). The tasks are stepped in lockstep, so that
        // takes at most N × maxSteps vector steps; the step budget is a safety net twice that.
        var budget = Budget.EpisodesPerTask(episodes).AndSteps(2L * tasks.Count * episodes * maxSteps);
        var options = DistralVariants.Build(variant, tasks.Count, nStep, seed);

        var watch = Stopwatch.StartNew();
        if (options.Distral is { } distral)
            new DistralEstimator(distral).Fit(taskSet, budget);
        else
            new SoftQEstimator(options.Shared!).Fit(taskSet, budget);
        watch.Stop();

        int recorded = recorder.MinimumEpisodes;
        if (recorded < episodes)
            Console.Error.WriteLine(string.Create(Invariant,
                $"{label} warning: the step budget ran out with only {recorded} of {episodes} episodes on some task; the run keeps {recorded}."));
        if (recorded == 0)
            throw new InvalidOperationException($"{label}: no task finished an episode.");
        var run = new DistralRun(variant, tasks.ToArray(), seed, maxSteps, nStep,
                                 recorder.Returns.Select(r => (IReadOnlyList<double>)r.Take(recorded).ToArray()).ToArray(),
                                 recorder.Durations.Select(d => (IReadOnlyList<int>)d.Take(recorded).ToArray()).ToArray(),
                                 watch.Elapsed.TotalSeconds, recorder.Steps);
        Console.Error.WriteLine(string.Create(Invariant,
            $"{label} {run.Episodes} episodes: final duration {run.FinalDuration:0.0}, final return {run.FinalReturn:0.00}, auc return {run.AucReturn:0.00}, {run.EnvironmentSteps} steps, {run.Seconds:0.0} s ({options.Describe(Invariant)})"));
        return run;
    }

    /// <summary>
    /// Records every task's episodes (return and length) through a wrapper around each task's environment and reports
    /// progress every tenth of the <c>target</c> episodes.
    /// </summary>
    private sealed class EpisodeRecorder(int taskCount, int target, string label)
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private int _reported;

        public List<double>[] Returns { get; } = Enumerable.Range(0, taskCount).Select(_ => new List<double>()).ToArray();
        public List<int>[] Durations { get; } = Enumerable.Range(0, taskCount).Select(_ => new List<int>()).ToArray();
        public long Steps { get; private set; }
        public int MinimumEpisodes => Returns.Min(r => r.Count);

        public IEnvironment Wrap(int task, IEnvironment env) => new Recording(env, this, task);

        private void OnStep() => Steps++;

        private void OnEpisode(int task, double episodeReturn, int length)
        {
            Returns[task].Add(episodeReturn);
            Durations[task].Add(length);
            int minimum = MinimumEpisodes;
            int tenth = Math.Max(1, target / 10);
            if (minimum < target && minimum / tenth > _reported)
            {
                _reported = minimum / tenth;
                var recent = Enumerable.Range(0, taskCount).Select(t => Durations[t][minimum - 1]).ToArray();
                Console.Error.WriteLine(string.Create(Invariant,
                    $"{label} {minimum}/{target} episodes on every task, episode {minimum} durations {string.Join(" ", recent)}, {Steps} steps, {_watch.Elapsed.TotalSeconds:0.0} s"));
            }
        }

        /// <summary>Sums a task's rewards and steps per episode; an episode ends when the step says terminated or truncated.</summary>
        private sealed class Recording(IEnvironment env, EpisodeRecorder recorder, int task) : Wrapper(env)
        {
            private double _return;
            private int _length;

            public override ResetResult Reset(ulong? seed = null, IReadOnlyDictionary<string, object>? options = null)
            {
                _return = 0;
                _length = 0;
                return Inner.Reset(seed, options);
            }

            public override StepResult Step(int action)
            {
                var result = Inner.Step(action);
                _return += result.Reward;
                _length++;
                recorder.OnStep();
                // Rounded to 1e-6 (rewards are multiples of 0.1) so the CSV holds exactly the values the live report used.
                if (result.Done) recorder.OnEpisode(task, Math.Round(_return, 6), _length);
                return result;
            }
        }
    }
}
