using RLKit.Algorithms.Dnc;
using RLKit.Algorithms.MultiTaskSac;
using RLKit.Algorithms.Qmp;
using RLKit.Environments;
using RLKit.Envs;
using RLKit.Envs.Reacher;
using RLKit.Training;

namespace RLKit.Experiments;

/// <summary>One of QMP's two environments: its task set and the Table 1 column (<see cref="MultiTaskSacPreset"/>) its runs use.</summary>
internal sealed record QmpEnvironment(string Name, string TaskSetId, string Title, string Description, MultiTaskSacPreset Preset)
{
    public static QmpEnvironment Maze { get; } = new("maze", "point-maze-large", "Maze navigation",
        "maze navigation (point mass in D4RL's LARGE_MAZE, 10 start → goal tasks, 600-step episodes)", MultiTaskSacPreset.Maze);

    public static QmpEnvironment Reacher { get; } = new("reacher", "multistage-reacher", "Multistage reacher",
        "multistage reacher (RLKit's planar 3-link arm, 5 tasks, 200-step episodes; the paper's is a 6-DoF Jaco arm in MuJoCo)", MultiTaskSacPreset.Reacher);

    public static IReadOnlyList<QmpEnvironment> All { get; } = [Maze, Reacher];

    /// <summary>A fresh task set from the standard catalog.</summary>
    public ITaskSet CreateTaskSet() => StandardEnvironments.CreateCatalog().MakeTaskSet(TaskSetId);
}

/// <summary>
/// What one run trains: a description for the log, the schedule numbers the experiment needs (environment steps per
/// update and minimum buffer, per task), and the training call.
/// </summary>
internal sealed record QmpTraining(string Description, int EnvStepsPerUpdate, int MinBufferSize,
                                   Func<ITaskSet, Budget, IReadOnlyList<ITrainingCallback>, IProgress<TrainingUpdate>, IAgent> Fit);

/// <summary>
/// The methods compared in seed 002 (Figs. 4 and 5), by name. Each builds its options from the environment's Table 1
/// preset (<see cref="MultiTaskSacOptions.Preset{TOptions}"/>: the sharing baselines' widths and learning rates, and
/// QMP-multihead's maze warm-up, come with it) and the run's seed.
/// </summary>
internal static class QmpMethods
{
    private const string MazeHasNoDomainWeights = "the paper defines task-similarity weights for the reacher only";

    private static readonly (string Name, Func<QmpEnvironment, string?> WhyUndefined, Func<QmpEnvironment, ulong, QmpTraining> Build)[] All =
    [
        ("qmp", Everywhere, (env, seed) => Qmp(env, seed, new QmpOptions())),
        ("separated", Everywhere, (env, seed) => MultiTaskSac(env, seed, TaskParameterSharing.Separate)),
        ("shared", Everywhere, (env, seed) => MultiTaskSac(env, seed, TaskParameterSharing.Shared)),
        ("multihead", Everywhere, (env, seed) => MultiTaskSac(env, seed, TaskParameterSharing.Multihead)),
        ("qmp-multihead", Everywhere, (env, seed) => Qmp(env, seed, new QmpOptions { Sharing = TaskParameterSharing.Multihead })),
        ("qmp-uniform", Everywhere, (env, seed) => Qmp(env, seed, new QmpOptions { Mixer = BehaviorMixers.Uniform })),
        ("qmp-domain", env => env == QmpEnvironment.Maze ? MazeHasNoDomainWeights : null,
            (env, seed) => Qmp(env, seed, new QmpOptions { Mixer = BehaviorMixers.Domain, DomainWeights = ReacherDomainWeights() })),
        ("qmp-softmax", Everywhere, (env, seed) => Qmp(env, seed, new QmpOptions { Mixer = BehaviorMixers.Softmax })),
        ("dnc", Everywhere, (env, seed) => Dnc(env, seed, DncMode.Full)),
        ("dnc-reg", Everywhere, (env, seed) => Dnc(env, seed, DncMode.RegularisationOnly)),
    ];

    /// <summary>Every method name, in the order they are run and reported.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(m => m.Name).ToArray();

    /// <summary>Whether <paramref name="name"/> is a method.</summary>
    public static bool IsKnown(string name) => Names.Contains(name);

    /// <summary>The methods defined on <paramref name="env"/>, in table order.</summary>
    public static IReadOnlyList<string> DefinedOn(QmpEnvironment env) => All.Where(m => m.WhyUndefined(env) is null).Select(m => m.Name).ToArray();

    /// <summary>Why method <paramref name="name"/> cannot run on <paramref name="env"/>, or null when it can.</summary>
    public static string? WhyUndefined(string name, QmpEnvironment env) => Find(name).WhyUndefined(env);

    /// <summary>The training of method <paramref name="name"/> on <paramref name="env"/> with seed <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">If the method is unknown or undefined on the environment.</exception>
    public static QmpTraining Build(string name, QmpEnvironment env, ulong seed)
    {
        var method = Find(name);
        if (method.WhyUndefined(env) is { } why) throw new ArgumentException($"qmp: {name} is not defined on the {env.Name}: {why}.", nameof(name));
        return method.Build(env, seed);
    }

    private static (string Name, Func<QmpEnvironment, string?> WhyUndefined, Func<QmpEnvironment, ulong, QmpTraining> Build) Find(string name) =>
        All.FirstOrDefault(m => m.Name == name) is { Name: not null } method ? method : throw new ArgumentException($"unknown qmp method '{name}'", nameof(name));

    private static string? Everywhere(QmpEnvironment env) => null;

    private static QmpTraining MultiTaskSac(QmpEnvironment env, ulong seed, TaskParameterSharing sharing)
    {
        var options = MultiTaskSacOptions.Preset(new MultiTaskSacOptions { Sharing = sharing }, env.Preset) with { Seed = seed };
        return new QmpTraining(Describe(options), options.EnvStepsPerUpdate, options.MinBufferSize,
                               (taskSet, budget, callbacks, progress) => new MultiTaskSacEstimator(options, callbacks).Fit(taskSet, budget, progress));
    }

    private static QmpTraining Qmp(QmpEnvironment env, ulong seed, QmpOptions options)
    {
        options = MultiTaskSacOptions.Preset(options, env.Preset) with { Seed = seed };
        string mixer = options.Mixer + (options.MixtureWarmup > 0 ? $", warm-up {options.MixtureWarmup} iterations" : "")
                       + (options.Mixer == BehaviorMixers.Softmax ? $", temperature {options.SoftmaxTemperature}" : "");
        return new QmpTraining($"QMP ({mixer}), {Describe(options)}", options.EnvStepsPerUpdate, options.MinBufferSize,
                               (taskSet, budget, callbacks, progress) => new QmpEstimator(options, callbacks).Fit(taskSet, budget, progress));
    }

    private static QmpTraining Dnc(QmpEnvironment env, ulong seed, DncMode mode)
    {
        var options = MultiTaskSacOptions.Preset(new DncOptions { Mode = mode }, env.Preset) with { Seed = seed };
        string distillation = mode == DncMode.Full ? $", {options.DistillationCount} distillations of {options.DistillationSteps} steps" : ", regularisation only";
        return new QmpTraining(FormattableString.Invariant($"DnC (KL {options.KlCoefficient}{distillation}), {Describe(options)}"), options.EnvStepsPerUpdate, options.MinBufferSize,
                               (taskSet, budget, callbacks, progress) => new DncEstimator(options, callbacks).Fit(taskSet, budget, progress));
    }

    private static string Describe(MultiTaskSacOptions o) => FormattableString.Invariant(
        $"{o.Sharing} networks [{string.Join(", ", o.HiddenSizes)}] {o.Activation}, lr {o.PolicyLearningRate}/{o.QLearningRate}/{o.AlphaLearningRate}, batch {o.BatchSize} per task, {o.EnvStepsPerUpdate} env / {o.GradientStepsPerUpdate} gradient steps per update per task, min buffer {o.MinBufferSize} per task, seed {o.Seed}");

    /// <summary>
    /// QMP-Domain's fixed mixture on the reacher (seed 002 §5.4: "weight the probability of selecting π_j for task i by
    /// the number of shared sub-goal sequences between task i and j"; the reference code does not include the matrix).
    /// RLKit's rule: a task's sub-goal sequences are the segments it must travel, start → first subgoal and each subgoal
    /// → the next (T0 ABC: S→A, A→B, B→C); the stay-still task has the one segment S→S. Weight(i, j) = the number of
    /// segments tasks i and j share (so the diagonal holds each task's own count: 3, or 1 for staying still), each row
    /// normalised to sum to 1. T0 and T1 share S→A and A→B; T0 and T3 share B→C; T1 and T2 share B→D; T2 and T3 share
    /// S→B; T4 shares nothing, so its row is its own policy only.
    /// </summary>
    public static double[,] ReacherDomainWeightCounts()
    {
        var tasks = MultistageReacherTask.Tasks;
        var segments = tasks.Select(t => t.Reward == ReacherReward.StayStill
            ? new HashSet<(char, char)> { ('S', 'S') }
            : ("S" + t.Subgoals).Zip(t.Subgoals).ToHashSet()).ToArray();
        var counts = new double[tasks.Count, tasks.Count];
        for (int i = 0; i < tasks.Count; i++)
            for (int j = 0; j < tasks.Count; j++) counts[i, j] = segments[i].Intersect(segments[j]).Count();
        return counts;
    }

    /// <summary><see cref="ReacherDomainWeightCounts"/> with every row normalised to sum to 1.</summary>
    private static IReadOnlyList<IReadOnlyList<float>> ReacherDomainWeights()
    {
        var counts = ReacherDomainWeightCounts();
        int n = counts.GetLength(0);
        return Enumerable.Range(0, n).Select(i =>
        {
            double sum = Enumerable.Range(0, n).Sum(j => counts[i, j]);
            return (IReadOnlyList<float>)Enumerable.Range(0, n).Select(j => (float)(counts[i, j] / sum)).ToArray();
        }).ToArray();
    }
}
