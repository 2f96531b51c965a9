using RLKit.Algorithms.Dnc;
using RLKit.Algorithms.MultiTaskSac;
using RLKit.Algorithms.Tests.MultiTaskSac;
using RLKit.Hosting;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests.Dnc;

/// <summary>DnC's options, its schedule inside a fit, the central policy's acting and checkpoints, and its registration.</summary>
public class DncTests
{
    /// <summary>
    /// Two short maze tasks with tiny networks: 100 steps per task per update, so a 2,000-step budget is 10 updates and
    /// update u ends at progress (u + 1)/10.
    /// </summary>
    private static DncOptions Tiny(DncMode mode) => ShortMaze.Small(new DncOptions { Mode = mode, Seed = 3 }) with
    {
        HiddenSizes = [16], BatchSize = 32, MinBufferSize = 100, EnvStepsPerUpdate = 100, GradientStepsPerUpdate = 5,
        DistillationCount = 3, DistillationSteps = 5,
    };

    private static (MultiTaskSacAgent Agent, List<IReadOnlyDictionary<string, double>> Updates) Fit(DncOptions options, long steps = 2_000)
    {
        var updates = new List<IReadOnlyDictionary<string, double>>();
        var agent = new DncEstimator(options).Fit(ShortMaze.Tasks(), Budget.Steps(steps), new SynchronousProgress(u => { if (!u.IsFinal) updates.Add(u.Losses); }));
        return (agent, updates);
    }

    [Test]
    public void FullDncDistilsAtTheFirstUpdatesPastEachPointOfTheBudget()
    {
        var (agent, updates) = Fit(Tiny(DncMode.Full));
        var distilled = updates.Select((losses, index) => (losses, index)).Where(u => u.losses.ContainsKey("distillation_loss")).Select(u => u.index);
        Assert.Multiple(() =>
        {
            Assert.That(agent.Algorithm, Is.EqualTo("dnc"));
            Assert.That(updates, Has.Count.EqualTo(10));
            Assert.That(distilled, Is.EqualTo(new[] { 2, 4, 7 }), "progress 0.3, 0.5 and 0.8: the first updates at or past 1/4, 2/4 and 3/4");
            Assert.That(updates.Select(u => u["distillations"]), Is.EqualTo(new double[] { 0, 0, 1, 1, 2, 2, 2, 3, 3, 3 }));
            Assert.That(updates, Has.All.Matches<IReadOnlyDictionary<string, double>>(u => u["kl"] > 0 && double.IsFinite(u["kl"])));
            Assert.That(agent.Weights.Keys.Where(k => k.StartsWith("central.", StringComparison.Ordinal)), Is.Not.Empty);
        });
    }

    [Test]
    public void RegularisationOnlyNeverDistilsAndKeepsNoCentralPolicy()
    {
        var (agent, updates) = Fit(Tiny(DncMode.RegularisationOnly));
        var observations = Tensor.Zeros(1, 4);
        Assert.Multiple(() =>
        {
            Assert.That(updates, Has.Count.EqualTo(10));
            Assert.That(updates, Has.None.Matches<IReadOnlyDictionary<string, double>>(u => u.ContainsKey("distillation_loss") || u.ContainsKey("distillations")));
            Assert.That(updates, Has.All.Matches<IReadOnlyDictionary<string, double>>(u => u["kl"] > 0));
            Assert.That(agent.Weights.Keys, Has.None.StartsWith("central."));
            var e = Assert.Throws<NotSupportedException>(() => agent.Act(observations, new float[2], deterministic: true));
            Assert.That(e!.Message, Does.Contain("task id"));
        });
    }

    [Test]
    public void TheCentralPolicyStartsAsACopyOfTheFirstTaskPolicy()
    {
        // 10 steps: the first update's collection is cut short, so nothing trains.
        var (agent, _) = Fit(Tiny(DncMode.Full), steps: 10);
        var observations = GradCheck.Input(new RandomGenerator(6), [8, 4]);
        Assert.That(agent.Model.Central!.Forward(observations).ToArray(), Is.EqualTo(agent.Model.Actor.Forward(observations).ToArray().Take(8 * 4)));
    }

    [Test]
    public void TheTaskFreeActUsesTheCentralPolicy()
    {
        var tasks = ShortMaze.Tasks();
        var agent = ShortMaze.Untrained(tasks, Tiny(DncMode.Full), DncEstimator.Name);
        var observations = GradCheck.Input(new RandomGenerator(6), [8, 4]);
        var model = agent.Model;
        var expected = model.MeanAction(model.Gaussian(model.Central!.ForwardTask(0, observations)).Mean).ToArray();
        var central = new float[16];
        agent.Act(observations, central, deterministic: true);
        Assert.That(central, Is.EqualTo(expected));
        for (int task = 0; task < 2; task++)
        {
            var own = new float[16];
            agent.Act(task, observations, own, deterministic: true);
            Assert.That(own, Is.Not.EqualTo(central), $"task {task}'s policy is another network");
        }
    }

    [TestCase(DncMode.Full)]
    [TestCase(DncMode.RegularisationOnly)]
    public void CheckpointRoundTripGivesIdenticalActionsAndOptions(DncMode mode)
    {
        var options = Tiny(mode) with { KlCoefficient = 2e-3f, DistillationSteps = 7 };
        var (agent, _) = Fit(options);
        using var directory = new TemporaryDirectory("rlkit-dnc");
        string path = directory.File("dnc" + Checkpoint.FileExtension);
        Checkpoint.Save(agent, path);
        var loaded = (MultiTaskSacAgent)Checkpoint.LoadAgent(path);

        Assert.That(loaded.Algorithm, Is.EqualTo("dnc"));
        Assert.That(loaded.TaskIds, Is.EqualTo(agent.TaskIds));
        Assert.That(loaded.Options, Is.TypeOf<DncOptions>());
        var restored = (DncOptions)loaded.Options;
        Assert.That((restored.Mode, restored.KlCoefficient, restored.DistillationCount, restored.DistillationSteps), Is.EqualTo((mode, 2e-3f, 3, 7)));
        Assert.That(loaded.Weights.Keys, Is.EquivalentTo(agent.Weights.Keys));
        Assert.That(loaded.Weights.Keys.Any(k => k.StartsWith("central.", StringComparison.Ordinal)), Is.EqualTo(mode == DncMode.Full));

        var observations = GradCheck.Input(new RandomGenerator(4), [16, 4], -5f, 5f);
        int first = mode == DncMode.Full ? -1 : 0;
        for (int task = first; task < 2; task++)
            foreach (bool deterministic in new[] { true, false })
            {
                float[] expected = new float[32], actual = new float[32];
                Act(agent, task, observations, expected, deterministic, new RandomGenerator(11));
                Act(loaded, task, observations, actual, deterministic, new RandomGenerator(11));
                Assert.That(actual, Is.EqualTo(expected), $"task {task} (−1: central), deterministic {deterministic}");
            }

        static void Act(MultiTaskSacAgent agent, int task, Tensor observations, float[] actions, bool deterministic, RandomGenerator rng)
        {
            if (task < 0) agent.Act(observations, actions, deterministic, rng);
            else agent.Act(task, observations, actions, deterministic, rng);
        }
    }

    [Test]
    public void PresetsSetThePapersCoefficientForTheMode()
    {
        var fullMaze = MultiTaskSacOptions.Preset(new DncOptions(), MultiTaskSacPreset.Maze);
        var regularisedMaze = MultiTaskSacOptions.Preset(new DncOptions { Mode = DncMode.RegularisationOnly, KlCoefficient = 0.5f }, MultiTaskSacPreset.Maze);
        var regularisedReacher = MultiTaskSacOptions.Preset(new DncOptions { Mode = DncMode.RegularisationOnly }, MultiTaskSacPreset.Reacher);
        var fullReacher = MultiTaskSacOptions.Preset(new DncOptions { KlCoefficient = 0.5f }, MultiTaskSacPreset.Reacher);
        Assert.Multiple(() =>
        {
            Assert.That(fullMaze.KlCoefficient, Is.EqualTo(1e-3f));
            Assert.That(regularisedMaze.KlCoefficient, Is.EqualTo(1e-4f));
            Assert.That(regularisedReacher.KlCoefficient, Is.EqualTo(1e-3f));
            Assert.That(fullReacher.KlCoefficient, Is.EqualTo(1e-3f));
            Assert.That((fullMaze.BatchSize, fullMaze.MinBufferSize, fullReacher.BatchSize, fullReacher.MinBufferSize), Is.EqualTo((256, 3_000, 32, 10_000)));
            Assert.That((fullMaze.DistillationCount, fullMaze.DistillationSteps), Is.EqualTo((10, 500)));
            Assert.That(regularisedMaze.Mode, Is.EqualTo(DncMode.RegularisationOnly));
            Assert.That(fullReacher.HiddenSizes, Is.EqualTo(new[] { 256, 256 }));
        });
    }

    [Test]
    public void OnlyTheFullMethodKeepsACentralPolicy()
    {
        Assert.That(new DncOptions().HasCentralPolicy, Is.True);
        Assert.That(new DncOptions { Mode = DncMode.RegularisationOnly }.HasCentralPolicy, Is.False);
    }

    private static IEnumerable<TestCaseData> BadOptions()
    {
        static TestCaseData Case(DncOptions options, string option, string range, string value) =>
            new TestCaseData(options, option, range).SetArgDisplayNames(option, value);
        yield return Case(new DncOptions { KlCoefficient = -1e-3f }, nameof(DncOptions.KlCoefficient), "finite and ≥ 0", "-1e-3");
        yield return Case(new DncOptions { KlCoefficient = float.NaN }, nameof(DncOptions.KlCoefficient), "finite and ≥ 0", "NaN");
        yield return Case(new DncOptions { KlCoefficient = float.PositiveInfinity }, nameof(DncOptions.KlCoefficient), "finite and ≥ 0", "+∞");
        yield return Case(new DncOptions { DistillationCount = 0 }, nameof(DncOptions.DistillationCount), "≥ 1", "0");
        yield return Case(new DncOptions { DistillationSteps = 0 }, nameof(DncOptions.DistillationSteps), "≥ 1", "0");
        yield return Case(new DncOptions { Mode = (DncMode)7 }, nameof(DncOptions.Mode), "one of Full, RegularisationOnly", "7");
        yield return Case(new DncOptions { Sharing = TaskParameterSharing.Shared }, nameof(DncOptions.Sharing), "Separate", "Shared");
        yield return Case(new DncOptions { Sharing = TaskParameterSharing.Multihead }, nameof(DncOptions.Sharing), "Separate", "Multihead");
        yield return Case(new DncOptions { BatchSize = 0 }, nameof(DncOptions.BatchSize), "≥ 1", "0");
    }

    [TestCaseSource(nameof(BadOptions))]
    public void BadOptionsAreRejectedNamingTheOptionAndItsRange(DncOptions options, string option, string range)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DncEstimator(options));
        Assert.That(e!.ParamName, Is.EqualTo(option));
        Assert.That(e.Message, Does.StartWith($"DncOptions.{option} must be").And.Contain(range));
    }

    [Test]
    public void ANonBoxActionSpaceIsRefused()
    {
        var tasks = new RLKit.Environments.TaskSet("grids", ["a", "b"], _ => new RLKit.Envs.Grid.DistralGrid(4));
        var e = Assert.Throws<ArgumentException>(() => new DncEstimator(Tiny(DncMode.Full)).Fit(tasks, Budget.Steps(10)));
        Assert.That(e!.Message, Does.Contain("bounded Box"));
    }

    [Test]
    public void RegisteredByNameAndThroughDependencyInjection()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddRLKit(builder => builder.AddMultiTaskAlgorithms());
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var factory = Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetRequiredKeyedService<IAgentEstimatorFactory>(provider, "dnc");
        var rl = new RLContext(seed: 5);
        var estimator = rl.Agents.Dnc(o => o with { Mode = DncMode.RegularisationOnly });
        Assert.Multiple(() =>
        {
            Assert.That(factory.EstimatorType, Is.EqualTo(typeof(DncEstimator)));
            Assert.That(factory.OptionsType, Is.EqualTo(typeof(DncOptions)));
            Assert.That(estimator.Options.Mode, Is.EqualTo(DncMode.RegularisationOnly));
            Assert.That(rl.Agents.Dnc(new DncOptions { KlCoefficient = 0.25f }).Options.KlCoefficient, Is.EqualTo(0.25f));
        });
    }
}
