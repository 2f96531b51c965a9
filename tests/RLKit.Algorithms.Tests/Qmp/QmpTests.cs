using Microsoft.Extensions.DependencyInjection;
using RLKit.Algorithms.MultiTaskSac;
using RLKit.Algorithms.Qmp;
using RLKit.Data;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Hosting;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Qmp;

/// <summary>QMP's training loop: where mixture data goes, what it reports, its options and its registrations.</summary>
public class QmpTests
{
    /// <summary>
    /// A task that signs its data: observation [task, t/20], reward 10·task + action, 20-step episodes. A stored
    /// transition shows which task produced it and which action was executed.
    /// </summary>
    private sealed class TaggedTask(int task, Action? onStep = null) : EnvironmentBase(new Box(-100f, 100f, 2), new Box(-1f, 1f, 1))
    {
        private int _t;

        public override string Id => $"Tagged{task}";

        protected override IReadOnlyDictionary<string, object>? ResetCore(Span<float> observation, IReadOnlyDictionary<string, object>? options)
        {
            _t = 0;
            (observation[0], observation[1]) = (task, 0f);
            return null;
        }

        protected override Transition StepCore(ReadOnlySpan<float> action, Span<float> observation)
        {
            onStep?.Invoke();
            _t++;
            (observation[0], observation[1]) = (task, _t / 20f);
            return new Transition(10.0 * task + action[0], Terminated: false, Truncated: _t == 20);
        }
    }

    private static TaskSet Tagged(int tasks) => new("tagged", [.. Enumerable.Range(0, tasks).Select(t => $"Tagged{t}")], t => new TaggedTask(t));

    private static QmpOptions Tiny(string mixer = BehaviorMixers.QSwitch) => new()
    {
        Mixer = mixer, HiddenSizes = [8], BatchSize = 4, MinBufferSize = 30, EnvStepsPerUpdate = 30, GradientStepsPerUpdate = 2, BufferCapacity = 100, Seed = 3,
    };

    /// <summary>Task i always executes policy (i + 1) mod T's sample, and remembers it.</summary>
    private sealed class NextPolicyMixer : IBehaviorMixer
    {
        public List<float[]> Executed { get; } = [];

        public void Choose(BehaviorMixingContext context, Span<int> policies)
        {
            var executed = new float[context.RowCount];
            var sampled = context.SampledActions.AsReadOnlySpan();
            for (int r = 0; r < context.RowCount; r++)
            {
                policies[r] = (context.RowTasks[r] + 1) % context.TaskCount;
                executed[r] = sampled[policies[r] * context.RowCount + r];
            }
            Executed.Add(executed);
        }
    }

    /// <summary>Keeps the buffers of the last update.</summary>
    private sealed class BufferSpy : MultiTaskSacHooks
    {
        public MultiTaskReplayBuffer? Buffers { get; private set; }

        public override void AfterIteration(MultiTaskSacIteration iteration) => Buffers = iteration.Buffers;
    }

    [Test]
    public void MixtureDataLandsInTheActingTasksBuffer()
    {
        const int tasks = 3;
        var options = Tiny();
        var taskSet = Tagged(tasks);
        var mixer = new NextPolicyMixer();
        var spy = new BufferSpy();
        var assignment = new TaskAssignment(taskSet.TaskIds, 1);
        using var environment = new SyncVectorEnvironment([.. Enumerable.Range(0, tasks).Select(taskSet.CreateEnvironment)], AutoresetMode.SameStep);
        var monitor = new TrainingMonitor(QmpEstimator.Name, Budget.Steps(tasks * 30), tasks, tasks: assignment);
        var rng = new RandomGenerator(options.Seed);
        var agent = MultiTaskSacAgent.ForFit(QmpEstimator.Name, options, environment, assignment, null, rng);
        MultiTaskSacTraining.Fit(environment, assignment, monitor, agent, null, new MixtureBehavior(options, mixer, assignment), spy, rng);

        Assert.That(mixer.Executed, Has.Count.EqualTo(30));
        for (int task = 0; task < tasks; task++)
        {
            var buffer = spy.Buffers![task];
            Assert.That(buffer.Count, Is.EqualTo(30), $"task {task}'s buffer");
            // Sampling everything with the slot indices puts the transitions back in the order they were collected.
            var batch = buffer.Sample(4_000, new RandomGenerator(1));
            var observations = batch.Observations.AsReadOnlySpan();
            var actions = batch.Actions.AsReadOnlySpan();
            var rewards = batch.Rewards.AsReadOnlySpan();
            for (int b = 0; b < batch.Size; b++)
            {
                int step = batch.Indices[b];
                Assert.That(observations[b * 2], Is.EqualTo(task), "the observation is task i's");
                Assert.That(actions[b], Is.EqualTo(mixer.Executed[step][task]), $"step {step}: the action is policy {(task + 1) % tasks}'s sample");
                Assert.That(rewards[b], Is.EqualTo(10f * task + actions[b]).Within(1e-4f), "the reward is task i's");
            }
        }
    }

    [Test]
    public void CancellationDuringCollectionStopsBeforeAnyGradientStep()
    {
        // Task 0's environment cancels on its 30th step, the last of the first update's collection.
        using var cancellation = new CancellationTokenSource();
        int steps = 0;
        var taskSet = new TaskSet("tagged", ["Tagged0", "Tagged1"], t => new TaggedTask(t, t == 0 ? () => { if (++steps == 30) cancellation.Cancel(); } : null));
        var updates = new List<TrainingUpdate>();
        var options = Tiny();
        var agent = new QmpEstimator(options).Fit(taskSet, Budget.Steps(10_000), new SynchronousProgress(updates.Add), cancellation.Token);
        Assert.That(updates.Select(u => u.IsFinal), Is.EqualTo(new[] { true }), "only the final report");
        var untrained = MultiTaskSac.ShortMaze.Untrained(taskSet, options, QmpEstimator.Name);
        foreach (var (name, tensor) in untrained.Weights)
            Assert.That(agent.Weights[name].ToArray(), Is.EqualTo(tensor.ToArray()), $"{name} took no gradient step");
    }

    [Test]
    public void SeveralSubEnvironmentsPerTaskCollectTaskMajor()
    {
        var updates = new List<TrainingUpdate>();
        var mixer = new NextPolicyMixer();
        new QmpEstimator(Tiny(), mixer: mixer).Fit(Tagged(2), Budget.Steps(2 * 2 * 15), new SynchronousProgress(updates.Add), environmentsPerTask: 2);
        Assert.That(mixer.Executed, Has.Count.EqualTo(15), "30 transitions per task, two at a time");
        Assert.That(mixer.Executed[0], Has.Length.EqualTo(4));
        Assert.That(updates[0].Losses["selection/0/1"], Is.EqualTo(1.0));
    }

    [Test]
    public void SelectionProportionsAreReportedPerUpdate()
    {
        var updates = new List<TrainingUpdate>();
        new QmpEstimator(Tiny(), mixer: new NextPolicyMixer()).Fit(Tagged(3), Budget.Steps(3 * 60), new SynchronousProgress(updates.Add));
        var losses = updates.First().Losses;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                Assert.That(losses[$"selection/{i}/{j}"], Is.EqualTo(j == (i + 1) % 3 ? 1.0 : 0.0), $"selection/{i}/{j}");
        Assert.That(losses.Keys, Is.SupersetOf(new[] { "critic", "actor", "alpha", "entropy" }));
    }

    [Test]
    public void BeforeTheWarmupEveryTaskActsWithItsOwnPolicy()
    {
        var updates = new List<TrainingUpdate>();
        var mixer = new NextPolicyMixer();
        new QmpEstimator(Tiny() with { MixtureWarmup = 1 }, mixer: mixer).Fit(Tagged(2), Budget.Steps(2 * 60), new SynchronousProgress(updates.Add));
        Assert.That(updates[0].Losses["selection/0/0"], Is.EqualTo(1.0), "update 0 is the warm-up");
        Assert.That(updates[1].Losses["selection/0/1"], Is.EqualTo(1.0), "update 1 mixes");
        Assert.That(mixer.Executed, Has.Count.EqualTo(30), "the mixer is asked only after the warm-up");
    }

    [Test]
    public void EveryBuiltInMixerAndSharingTrains()
    {
        var domain = new float[][] { [1f, 1f], [0f, 1f] };
        foreach (var mixer in BehaviorMixers.Names)
            foreach (var sharing in Enum.GetValues<TaskParameterSharing>())
            {
                var options = Tiny(mixer) with { Sharing = sharing, DomainWeights = mixer == BehaviorMixers.Domain ? domain : null };
                var updates = new List<TrainingUpdate>();
                var agent = new QmpEstimator(options).Fit(Tagged(2), Budget.Steps(2 * 60), new SynchronousProgress(updates.Add));
                Assert.That(updates.Count(u => !u.IsFinal), Is.EqualTo(2), $"{mixer}, {sharing}");
                Assert.That(updates[0].Losses["critic"], Is.Not.NaN, $"{mixer}, {sharing}");
                Assert.That(agent.Options, Is.TypeOf<QmpOptions>());
            }
    }

    [Test]
    public void BadOptionsAreRefusedNamingTheOption()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new QmpEstimator(new QmpOptions { Mixer = "q-swich" }))!.ParamName, Is.EqualTo("Mixer"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new QmpEstimator(new QmpOptions { Mixer = BehaviorMixers.Domain }))!.ParamName,
                        Is.EqualTo("DomainWeights"), "domain needs weights");
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new QmpEstimator(new QmpOptions { DomainWeights = [[1f, 0f], [1f]] }))!.ParamName,
                        Is.EqualTo("DomainWeights"), "not square");
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new QmpEstimator(new QmpOptions { DomainWeights = [[0f, 0f], [1f, 1f]] }))!.ParamName,
                        Is.EqualTo("DomainWeights"), "a row without weight");
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new QmpEstimator(new QmpOptions { SoftmaxTemperature = 0f }))!.ParamName, Is.EqualTo("SoftmaxTemperature"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new QmpEstimator(new QmpOptions { MixtureWarmup = -1 }))!.ParamName, Is.EqualTo("MixtureWarmup"));
            Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new QmpEstimator(new QmpOptions { BatchSize = 0 }))!.Message, Does.StartWith("QmpOptions.BatchSize"));
        });
        // A user mixer needs no built-in name.
        Assert.That(new QmpEstimator(new QmpOptions { Mixer = "mine" }, mixer: new NextPolicyMixer()).Mixer, Is.TypeOf<NextPolicyMixer>());
    }

    [Test]
    public void DomainWeightsMustHaveOneRowAndColumnPerTask()
    {
        var estimator = new QmpEstimator(Tiny(BehaviorMixers.Domain) with { DomainWeights = [[1f, 1f, 1f], [1f, 1f, 1f], [1f, 1f, 1f]] });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(Tagged(2), Budget.Steps(60)));
        Assert.That(error!.ParamName, Is.EqualTo("DomainWeights"));
        Assert.That(error.Message, Does.Contain("2 × 2"));
    }

    [Test]
    public void MultiheadMazePresetDelaysTheMixtureAndKeepsTheType()
    {
        var multihead = MultiTaskSacOptions.Preset(new QmpOptions { Sharing = TaskParameterSharing.Multihead, Mixer = BehaviorMixers.Uniform }, MultiTaskSacPreset.Maze);
        Assert.That(multihead, Is.TypeOf<QmpOptions>());
        Assert.That((multihead.MixtureWarmup, multihead.Mixer, multihead.HiddenSizes), Is.EqualTo((100, BehaviorMixers.Uniform, multihead.HiddenSizes)));
        Assert.That(multihead.HiddenSizes, Is.EqualTo(new[] { 834, 834 }));
        var reacher = MultiTaskSacOptions.Preset(new QmpOptions { Sharing = TaskParameterSharing.Multihead }, MultiTaskSacPreset.Reacher);
        Assert.That((reacher.MixtureWarmup, reacher.PolicyLearningRate, reacher.HiddenSizes[0]), Is.EqualTo((0, 1e-3f, 512)));
        Assert.That(MultiTaskSacOptions.Preset(new QmpOptions(), MultiTaskSacPreset.Maze).MixtureWarmup, Is.Zero);
    }

    [Test]
    public void TheMixersAndEstimatorsAreRegisteredByName()
    {
        using var provider = new ServiceCollection().AddRLKit(b => b.AddMultiTaskAlgorithms()).Services.BuildServiceProvider();
        Assert.Multiple(() =>
        {
            Assert.That(provider.GetRequiredKeyedService<IBehaviorMixer>("q-switch"), Is.TypeOf<QSwitchMixer>());
            Assert.That(provider.GetRequiredKeyedService<IBehaviorMixer>("uniform"), Is.TypeOf<UniformMixer>());
            Assert.That(provider.GetRequiredKeyedService<IBehaviorMixer>("domain"), Is.TypeOf<DomainMixer>());
            Assert.That(provider.GetRequiredKeyedService<IBehaviorMixer>("softmax"), Is.TypeOf<SoftmaxMixer>());
            Assert.That(provider.GetRequiredKeyedService<IAgentEstimatorFactory>("qmp").Algorithm, Is.EqualTo(QmpEstimator.Name));
            Assert.That(provider.GetRequiredKeyedService<IAgentEstimatorFactory>("mt-sac").Algorithm, Is.EqualTo(MultiTaskSacEstimator.Name));
        });
        var rl = provider.GetRequiredService<RLContext>();
        Assert.That(rl.Agents.Qmp(o => o with { Mixer = BehaviorMixers.Softmax }).Mixer, Is.TypeOf<SoftmaxMixer>());
        Assert.That(rl.Agents.Qmp(new QmpOptions(), new NextPolicyMixer()).Mixer, Is.TypeOf<NextPolicyMixer>());
        Assert.That(rl.Agents.MultiTaskSac(MultiTaskSacOptions.Reacher).Options.BatchSize, Is.EqualTo(32));
        Assert.That(rl.Agents.Create("qmp").Estimator, Is.TypeOf<QmpEstimator>());
    }
}
