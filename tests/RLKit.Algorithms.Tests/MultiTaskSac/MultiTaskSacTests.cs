using RLKit.Algorithms.MultiTaskSac;
using RLKit.Algorithms.Qmp;
using RLKit.Environments;
using RLKit.Envs.Classic;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests.MultiTaskSac;

/// <summary>The multi-task SAC harness: its learner step, checkpoints, presets and the errors bad input gets.</summary>
public class MultiTaskSacTests
{
    private static MultiTaskSacOptions Tiny(TaskParameterSharing sharing = TaskParameterSharing.Separate) => new()
    {
        HiddenSizes = [8, 8], BatchSize = 8, MinBufferSize = 20, EnvStepsPerUpdate = 20, GradientStepsPerUpdate = 2, BufferCapacity = 100,
        Sharing = sharing, Seed = 11,
    };

    private static MultiTaskSacModel Model(MultiTaskSacOptions options, int tasks = 3) =>
        new(observationSize: 4, new Box([-2f, 0f], [2f, 1f], [2]), tasks, options, new RandomGenerator(3));

    /// <summary>A [T, B] batch of random transitions, actions inside the box.</summary>
    private static MultiTaskBatch RandomBatch(MultiTaskSacModel model, int perTask, ulong seed)
    {
        var rng = new RandomGenerator(seed);
        var batch = new MultiTaskBatch(model.Tasks, perTask, model.ObservationSize, model.ActionSize);
        foreach (var tensor in new[] { batch.Observations, batch.NextObservations, batch.Rewards })
            Tensor.RandomNormal(rng, tensor.ShapeArray()).AsReadOnlySpan().CopyTo(tensor.AsSpan());
        var actions = batch.Actions.AsSpan();
        for (int i = 0; i < actions.Length; i++) actions[i] = i % 2 == 0 ? rng.Uniform(-2f, 2f) : rng.Uniform(0f, 1f);
        batch.Bootstrap.AsSpan().Fill(0.99f);
        return batch;
    }

    /// <summary>Every parameter after three learner steps on the same batch, from the same start (Adam's first step is lr·sign(g), blind to magnitudes).</summary>
    private static Dictionary<string, float[]> AfterThreeSteps(MultiTaskSacOptions options, Action<MultiTaskBatch> edit)
    {
        var model = Model(options);
        var learner = new MultiTaskSacLearner(model, MultiTaskSacHooks.None, new RandomGenerator(9));
        var batch = RandomBatch(model, 5, seed: 4);
        edit(batch);
        for (int step = 0; step < 3; step++) learner.Step(batch);
        return model.Modules().SelectMany(m => m.Module.NamedParameters().Select(p => ($"{m.Prefix}.{p.Key}", p.Value.ToArray())))
                    .Append(("log_alpha", model.LogAlpha.ToArray())).ToDictionary(p => p.Item1, p => p.Item2);
    }

    [Test]
    public void WithSeparateNetworksATasksDataMovesOnlyItsOwnMember()
    {
        // Change task 1's rewards only: after three steps, members 0 and 2 of every network (and their α) are exactly as
        // before, and task 1's networks are not (its α's step reads log π only, not rewards). The step's noise is drawn
        // for all tasks at once, so it is the same in both runs.
        var baseline = AfterThreeSteps(Tiny(), _ => { });
        var changed = AfterThreeSteps(Tiny(), batch => batch.Rewards.AsSpan().Slice(5, 5).Fill(50f));
        foreach (var (name, values) in baseline)
        {
            int perMember = values.Length / 3;
            for (int member = 0; member < 3; member++)
            {
                var before = values.AsSpan(member * perMember, perMember).ToArray();
                var after = changed[name].AsSpan(member * perMember, perMember).ToArray();
                if (member == 1 && name != "log_alpha") Assert.That(after, Is.Not.EqualTo(before), $"{name}, task 1's member");
                else if (member != 1) Assert.That(after, Is.EqualTo(before), $"{name}, member {member}");
            }
        }
    }

    [Test]
    public void SharedNetworksTakeTTimesTheStepsOnOneBatchSpreadOverTheTasks()
    {
        foreach (var sharing in new[] { TaskParameterSharing.Shared, TaskParameterSharing.Multihead })
        {
            var learner = new MultiTaskSacLearner(Model(Tiny(sharing)), MultiTaskSacHooks.None, new RandomGenerator(1));
            Assert.That((learner.GradientStepsPerUpdate, learner.Batch.PerTask), Is.EqualTo((3 * 2, 3)), $"{sharing}: ⌈8 / 3⌉ rows per task");
        }
        var separate = new MultiTaskSacLearner(Model(Tiny()), MultiTaskSacHooks.None, new RandomGenerator(1));
        Assert.That((separate.GradientStepsPerUpdate, separate.Batch.PerTask), Is.EqualTo((2, 8)));
    }

    [Test]
    public void EachUpdateReportsTheMeanLossesOverTasks()
    {
        var updates = new List<TrainingUpdate>();
        var agent = new MultiTaskSacEstimator(Tiny()).Fit(ShortMaze.Tasks(), Budget.Steps(2 * 40), new SynchronousProgress(updates.Add));
        var reports = updates.Where(u => !u.IsFinal).ToList();
        Assert.That(reports, Has.Count.EqualTo(2), "one report per update: 20 steps per task each");
        Assert.That(reports[0].Losses.Keys, Is.EquivalentTo(new[] { "critic", "actor", "alpha", "entropy", "alpha_value" }));
        Assert.That(reports.SelectMany(u => u.Losses.Values), Has.All.Not.NaN);
        Assert.That(agent.Alphas, Has.Count.EqualTo(2));
    }

    private static IEnumerable<TestCaseData> Agents()
    {
        foreach (var sharing in Enum.GetValues<TaskParameterSharing>())
        {
            yield return new TestCaseData(MultiTaskSacEstimator.Name, sharing).SetArgDisplayNames("mt-sac", sharing.ToString());
            yield return new TestCaseData(QmpEstimator.Name, sharing).SetArgDisplayNames("qmp", sharing.ToString());
        }
    }

    [TestCaseSource(nameof(Agents))]
    public void ACheckpointRestoresEveryTaskPolicyExactly(string algorithm, TaskParameterSharing sharing)
    {
        var tasks = ShortMaze.Tasks();
        var agent = algorithm == QmpEstimator.Name
            ? new QmpEstimator(ShortMaze.Small(new QmpOptions()) with { HiddenSizes = [8, 8], MinBufferSize = 20, EnvStepsPerUpdate = 20, GradientStepsPerUpdate = 2, Sharing = sharing, Seed = 5 })
                  .Fit(tasks, Budget.Steps(80))
            : new MultiTaskSacEstimator(Tiny(sharing)).Fit(tasks, Budget.Steps(80));
        using var directory = new TemporaryDirectory("rlkit-mtsac");
        string path = directory.File("agent" + Checkpoint.FileExtension);
        Checkpoint.Save(agent, path);
        var loaded = (MultiTaskSacAgent)Checkpoint.LoadAgent(path);

        Assert.That(loaded.Algorithm, Is.EqualTo(algorithm));
        Assert.That(loaded.TaskIds, Is.EqualTo(tasks.TaskIds));
        Assert.That(loaded.Options.GetType(), Is.EqualTo(agent.Options.GetType()));
        Assert.That(loaded.Options.Sharing, Is.EqualTo(sharing));
        Assert.That(loaded.Weights.Keys, Is.EquivalentTo(agent.Weights.Keys));
        var observations = Tensor.RandomNormal(new RandomGenerator(2), [16, 4]);
        for (int task = 0; task < tasks.TaskCount; task++)
            foreach (bool deterministic in new[] { true, false })
            {
                var expected = new float[32];
                var actual = new float[32];
                agent.Act(task, observations, expected, deterministic, new RandomGenerator(8));
                loaded.Act(task, observations, actual, deterministic, new RandomGenerator(8));
                Assert.That(actual, Is.EqualTo(expected), $"task {task}, deterministic {deterministic}");
            }
    }

    [Test]
    public void AWarmStartContinuesFromTheInitialAgent()
    {
        var tasks = ShortMaze.Tasks();
        var first = new MultiTaskSacEstimator(Tiny()).Fit(tasks, Budget.Steps(80));
        var second = new MultiTaskSacEstimator(Tiny() with { Seed = 12 }).Fit(tasks, Budget.Steps(40), initialAgent: first);
        Assert.That(second.Weights["actor.mlp.0.weight"].ToArray(), Is.Not.EqualTo(first.Weights["actor.mlp.0.weight"].ToArray()), "it trained on");
        var other = ShortMaze.Tasks();
        var three = new TaskSet("three", [.. other.TaskIds, "third"], t => other.CreateEnvironment(Math.Min(t, 1)));
        var error = Assert.Throws<ArgumentException>(() => new MultiTaskSacEstimator(Tiny()).Fit(three, Budget.Steps(60), initialAgent: first));
        Assert.That(error!.ParamName, Is.EqualTo("initialAgent"));
        Assert.That(error.Message, Does.Contain("2 tasks").And.Contain("3 tasks"));
    }

    [Test]
    public void ActingChecksTheTaskAndTheBatch()
    {
        var agent = ShortMaze.Untrained(ShortMaze.Tasks(), Tiny());
        var observation = Tensor.Zeros(1, 4);
        Assert.Multiple(() =>
        {
            var outOfRange = Assert.Throws<ArgumentOutOfRangeException>(() => agent.Act(2, observation, new float[2], deterministic: true));
            Assert.That(outOfRange!.ParamName, Is.EqualTo("task"));
            Assert.That(outOfRange.Message, Does.Contain("[0, 1]"));
            Assert.Throws<ArgumentOutOfRangeException>(() => agent.Act(-1, observation, new float[2], deterministic: true));
            Assert.That(Assert.Throws<NotSupportedException>(() => agent.Act(observation, new float[2], deterministic: true))!.Message, Does.Contain("task id"));
            Assert.Throws<NotSupportedException>(() => agent.Act(0, observation, new int[1], deterministic: true));
            Assert.Throws<ArgumentException>(() => agent.Act(0, Tensor.Zeros(1, 3), new float[2], deterministic: true));
            Assert.Throws<ArgumentException>(() => agent.Act(0, Tensor.Full(float.NaN, 1, 4), new float[2], deterministic: true));
            Assert.That(agent.ForTask(1).ToString(), Does.Contain("task 1"));
        });
    }

    /// <summary>A hand-written task set: its tasks' environments come from <paramref name="create"/>, whatever spaces they have.</summary>
    private sealed class LooseTaskSet(string[] ids, Space observation, Space action, Func<int, IEnvironment> create) : ITaskSet
    {
        public string Name => "loose";
        public int TaskCount => ids.Length;
        public IReadOnlyList<string> TaskIds => ids;
        public Space ObservationSpace => observation;
        public Space ActionSpace => action;
        public IEnvironment CreateEnvironment(int task) => create(task);
    }

    [Test]
    public void BadTaskSetsAreRefusedClearly()
    {
        var estimator = new MultiTaskSacEstimator(Tiny());
        var maze = ShortMaze.Tasks();
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentException>(() => new TaskSet("none", [], maze.CreateEnvironment))!.Message, Does.Contain("at least one task"));
            var none = new LooseTaskSet([], maze.ObservationSpace, maze.ActionSpace, maze.CreateEnvironment);
            Assert.That(Assert.Throws<ArgumentException>(() => estimator.Fit(none, Budget.Steps(10)))!.Message, Does.Contain("task set 'loose' has no tasks"));

            var mismatched = new LooseTaskSet(["maze", "pendulum"], maze.ObservationSpace, maze.ActionSpace,
                                              t => t == 0 ? maze.CreateEnvironment(0) : new Pendulum());
            var error = Assert.Throws<ArgumentException>(() => estimator.Fit(mismatched, Budget.Steps(10)));
            Assert.That(error!.Message, Does.Contain("task 1 (pendulum)"));

            var discrete = new LooseTaskSet(["cartpole"], new CartPole().ObservationSpace, new Discrete(2), _ => new CartPole());
            Assert.That(Assert.Throws<ArgumentException>(() => estimator.Fit(discrete, Budget.Steps(10)))!.Message, Does.Contain("bounded Box"));
        });
    }

    [Test]
    public void BadOptionsAreRefusedNamingTheOption()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new MultiTaskSacEstimator(Tiny() with { MinBufferSize = 101 }))!.ParamName, Is.EqualTo("MinBufferSize"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new MultiTaskSacEstimator(Tiny() with { BufferCapacity = 4 }))!.ParamName, Is.EqualTo("BufferCapacity"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new MultiTaskSacEstimator(Tiny() with { LogStdMin = 3f }))!.ParamName, Is.EqualTo("LogStdMin"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new MultiTaskSacEstimator(Tiny() with { Tau = 0f }))!.ParamName, Is.EqualTo("Tau"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new MultiTaskSacEstimator(Tiny() with { HiddenSizes = [] }))!.ParamName, Is.EqualTo("HiddenSizes"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new MultiTaskSacEstimator(Tiny() with { Sharing = (TaskParameterSharing)7 }))!.ParamName, Is.EqualTo("Sharing"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => MultiTaskSacOptions.Preset(Tiny(), (MultiTaskSacPreset)5))!.ParamName, Is.EqualTo("preset"));
        });
    }

    [Test]
    public void PresetsFollowTableOneForEverySharing()
    {
        var maze = MultiTaskSacOptions.Maze;
        Assert.That((maze.MinBufferSize, maze.EnvStepsPerUpdate, maze.GradientStepsPerUpdate, maze.BatchSize), Is.EqualTo((3_000, 600, 100, 256)));
        Assert.That(maze.HiddenSizes, Is.EqualTo(new[] { 256, 256 }));
        Assert.That(maze, Is.EqualTo(new MultiTaskSacOptions() with { HiddenSizes = maze.HiddenSizes }), "the defaults are the maze column");
        var reacher = MultiTaskSacOptions.Reacher;
        Assert.That((reacher.MinBufferSize, reacher.EnvStepsPerUpdate, reacher.GradientStepsPerUpdate, reacher.BatchSize), Is.EqualTo((10_000, 1_000, 100, 32)));
        (MultiTaskSacPreset Preset, TaskParameterSharing Sharing, int Width, float Rate)[] widths =
        [
            (MultiTaskSacPreset.Maze, TaskParameterSharing.Shared, 834, 3e-4f), (MultiTaskSacPreset.Reacher, TaskParameterSharing.Shared, 600, 3e-4f),
            (MultiTaskSacPreset.Maze, TaskParameterSharing.Multihead, 834, 3e-4f), (MultiTaskSacPreset.Reacher, TaskParameterSharing.Multihead, 512, 1e-3f),
        ];
        foreach (var (preset, sharing, width, rate) in widths)
        {
            var options = MultiTaskSacOptions.Preset(new MultiTaskSacOptions { Sharing = sharing, Seed = 4 }, preset);
            Assert.That(options.HiddenSizes, Is.EqualTo(new[] { width, width }), $"{preset} {sharing}");
            Assert.That((options.PolicyLearningRate, options.QLearningRate, options.AlphaLearningRate, options.Seed), Is.EqualTo((rate, rate, rate, 4UL)), $"{preset} {sharing}");
        }
    }
}
