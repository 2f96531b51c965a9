using RLKit.Algorithms.Distral;
using RLKit.Environments;
using RLKit.Hosting;
using RLKit.Nn;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests.Distral;

/// <summary>Distral's formulas against hand computation, its losses' gradients, checkpoints and option checks.</summary>
public class DistralTests
{
    private static DistralModel Model(DistralOptions options, int tasks = 2, ulong seed = 3) =>
        new(observationSize: 3, actionCount: 4, tasks, options with { HiddenSizes = [5, 6] }, new RandomGenerator(seed));

    private static double LogSumExp(IEnumerable<double> values)
    {
        double max = values.Max();
        return max + Math.Log(values.Sum(v => Math.Exp(v - max)));
    }

    [Test]
    public void SoftValueIsTheOneOverBetaLogOfPi0ToTheAlphaTimesExpBetaF()
    {
        float[] f = [0.3f, -1.2f, 2.0f, 0.5f];
        float[] h = [1.0f, 0.1f, -0.4f, 0.7f];
        const float alpha = 0.8f, beta = 5f;
        double logZ0 = LogSumExp(h.Select(v => (double)v));
        double direct = Math.Log(Enumerable.Range(0, 4).Sum(a => Math.Pow(Math.Exp(h[a] - logZ0), alpha) * Math.Exp(beta * f[a]))) / beta;

        var logPi0 = Tensor.FromArray(h, 1, 4).LogSoftmax(1);
        float value = DistralModel.SoftValue(Tensor.FromArray(f, 1, 4), logPi0, alpha, beta).Item();
        Assert.That(value, Is.EqualTo(direct).Within(1e-5));
    }

    [Test]
    public void SoftValueStaysFiniteAtBetaOneWithLargeValues()
    {
        // exp(1000) overflows float and double alike; the max-subtracted form does not.
        float[] f = [1000f, 999f, -1000f, 998f];
        var logPi0 = Tensor.FromArray(new float[] { 0f, 0f, 0f, 0f }, 1, 4).LogSoftmax(1);
        float value = DistralModel.SoftValue(Tensor.FromArray(f, 1, 4), logPi0, alpha: 0.8f, beta: 1f).Item();
        double expected = 1000 + Math.Log(1 + Math.Exp(-1) + Math.Exp(-2)) + 0.8 * Math.Log(0.25);
        Assert.That(float.IsFinite(value), Is.True);
        Assert.That(value, Is.EqualTo(expected).Within(1e-3));
    }

    [Test]
    public void RegularisedRewardAddsTheKlAndEntropyTerms()
    {
        float[] rewards = [-0.1f, 0.9f];
        DistralModel.Regularise(rewards, [MathF.Log(0.5f), MathF.Log(0.25f)], [MathF.Log(0.2f), MathF.Log(0.8f)], alpha: 0.8f, beta: 5f);
        Assert.That(rewards[0], Is.EqualTo(-0.1 + 0.8 / 5 * Math.Log(0.5) - Math.Log(0.2) / 5).Within(1e-6));
        Assert.That(rewards[1], Is.EqualTo(0.9 + 0.8 / 5 * Math.Log(0.25) - Math.Log(0.8) / 5).Within(1e-6));
    }

    [TestCase(DistralColumns.OneColumn)]
    [TestCase(DistralColumns.TwoColumn)]
    public void SoftQTargetsAreTheRegularisedRewardPlusTheDiscountedSoftValue(DistralColumns columns)
    {
        var model = Model(WithColumns(DistralOptions.ThesisSql, columns));
        var states = States(2, 21);
        var next = States(2, 22);
        int[] actions = [1, 3];
        float[] rewards = [-0.1f, 0.9f], bootstrap = [0.999f, 0f];
        var targets = new float[2];
        DistralLosses.SoftQTargets(model, 0, states, model.Tasks[0].Forward(states), actions, rewards, bootstrap, next, regulariseRewards: true, targets);

        var o = model.Options;
        double[] Row(Tensor t, int row) => t.ToArray().Skip(row * 4).Take(4).Select(v => (double)v).ToArray();
        var f = model.Tasks[0].Forward(states);
        var h = model.Distilled.Forward(states);
        var fNext = model.Tasks[0].Forward(next);
        var hNext = model.Distilled.Forward(next);
        for (int b = 0; b < 2; b++)
        {
            double[] fb = Row(f, b), hb = Row(h, b), fn = Row(fNext, b), hn = Row(hNext, b);
            double logPi0 = hb[actions[b]] - LogSumExp(hb);
            double[] logits = columns == DistralColumns.OneColumn ? fb.Select(v => o.TaskPolicyScale * v).ToArray()
                                                                 : fb.Select((v, a) => o.Alpha * hb[a] + o.Beta * v).ToArray();
            double logPi = logits[actions[b]] - LogSumExp(logits);
            double logZ0Next = LogSumExp(hn);
            double softValue = Math.Log(Enumerable.Range(0, 4).Sum(a => Math.Pow(Math.Exp(hn[a] - logZ0Next), o.Alpha) * Math.Exp(o.Beta * fn[a]))) / o.Beta;
            double expected = rewards[b] + o.Alpha / o.Beta * logPi0 - logPi / o.Beta + bootstrap[b] * softValue;
            Assert.That(targets[b], Is.EqualTo(expected).Within(1e-4), $"row {b}");
        }
    }

    [Test]
    public void OneColumnPolicyIsSoftmaxOfBetaPrimeTimesF()
    {
        var model = Model(DistralOptions.ThesisSql with { Columns = DistralColumns.OneColumn, TaskPolicyScale = 3f });
        float[] f = [0.5f, -0.5f, 1f, 0f];
        var probabilities = model.TaskLogits(Tensor.FromArray(f, 1, 4), distilledLogits: null).Softmax(1).ToArray();
        double z = f.Sum(v => Math.Exp(3.0 * v));
        for (int a = 0; a < 4; a++) Assert.That(probabilities[a], Is.EqualTo(Math.Exp(3.0 * f[a]) / z).Within(1e-6));
    }

    [Test]
    public void TwoColumnPolicyIsSoftmaxOfAlphaH0PlusBetaF()
    {
        var model = Model(DistralOptions.ThesisSql);
        float[] f = [0.1f, -0.3f, 0.2f, 0f];
        float[] h = [2f, -1f, 0.5f, 0f];
        var probabilities = model.TaskLogits(Tensor.FromArray(f, 1, 4), Tensor.FromArray(h, 1, 4)).Softmax(1).ToArray();
        double z = Enumerable.Range(0, 4).Sum(a => Math.Exp(0.8 * h[a] + 5.0 * f[a]));
        for (int a = 0; a < 4; a++) Assert.That(probabilities[a], Is.EqualTo(Math.Exp(0.8 * h[a] + 5.0 * f[a]) / z).Within(1e-6));
    }

    [Test]
    public void NStepTargetsSumDiscountedRewardsAndBootstrapUnlessTerminal()
    {
        float[] rewards = [1f, 2f, 3f];
        float[] values = [10f, 20f, 30f, 40f];   // V(s_0) … V(s_3), s_3 the final state
        var truncated = DistralLosses.NStepTargets(rewards, values, terminated: false, gamma: 0.5f, n: 2);
        Assert.That(truncated, Is.EqualTo(new[] { 1 + 0.5f * 2 + 0.25f * 30, 2 + 0.5f * 3 + 0.25f * 40, 3 + 0.5f * 40 }).Within(1e-5));
        var terminated = DistralLosses.NStepTargets(rewards, values, terminated: true, gamma: 0.5f, n: 2);
        Assert.That(terminated, Is.EqualTo(new[] { 1 + 0.5f * 2 + 0.25f * 30, 2 + 0.5f * 3, 3f }).Within(1e-5));
    }

    private static IEnumerable<TestCaseData> Parameterisations()
    {
        foreach (var columns in new[] { DistralColumns.OneColumn, DistralColumns.TwoColumn })
            yield return new TestCaseData(columns).SetArgDisplayNames(columns.ToString());
    }

    private static DistralOptions WithColumns(DistralOptions options, DistralColumns columns) =>
        options with { Columns = columns, TaskPolicyScale = columns == DistralColumns.OneColumn ? 2f : 1f };

    private static Tensor States(int rows, int seed) => GradCheck.Input(new RandomGenerator((ulong)seed), [rows, 3]);

    /// <summary>Which networks of the model hold a non-zero gradient after <paramref name="loss"/>'s backward pass.</summary>
    private static string[] NetworksWithGradients(DistralModel model, Func<Tensor> loss)
    {
        foreach (var (_, module) in model.Modules()) module.ZeroGrad();
        loss().Backward();
        return model.Modules()
            .Where(m => m.Module.Parameters().Any(p => p.Grad is { } g && g.AsReadOnlySpan().ContainsAnyExcept(0f)))
            .Select(m => m.Prefix).ToArray();
    }

    /// <summary>The soft-Q loss on a fixed batch, its targets computed once, so the loss is a function of f_i alone.</summary>
    private static Func<Tensor> SoftQLoss(DistralModel model, bool regularise, int task = 1)
    {
        int[] actions = [0, 3, 1, 2];
        var targets = new float[4];
        DistralLosses.SoftQTargets(model, task, States(4, 1), model.Tasks[task].Forward(States(4, 1)), actions, [-0.1f, 0.9f, -0.6f, -0.1f],
                                   [0.999f, 0f, 0.999f, 0.5f], States(4, 2), regularise, targets);
        return () => DistralLosses.SoftQTask(model.Tasks[task].Forward(States(4, 1)), actions, targets);
    }

    private static Tensor DistillationLoss(DistralModel model) =>
        DistralLosses.Distillation(model, States(4, 3), [1, 1, 2, 0], [0.5f, 0.4f, 0.3f, 0.2f]);

    private static readonly int[] EpisodeActions = [2, 0, 3];

    /// <summary>The targets and advantages of a 3-step episode, computed once, so the loss is a function of f_i alone.</summary>
    private static (float[] Targets, float[] Advantages) ActorCriticTargets(DistralModel model, bool terminated, int task = 1)
    {
        var targets = new float[3];
        var advantages = new float[3];
        DistralLosses.ActorCriticTargets(model, task, States(4, 4), EpisodeActions, [-0.1f, -0.6f, 0.9f], terminated, targets, advantages);
        return (targets, advantages);
    }

    private static Func<Tensor> ActorCriticTaskLoss(DistralModel model, bool terminated = true, int task = 1)
    {
        var (targets, advantages) = ActorCriticTargets(model, terminated, task);
        return () => DistralLosses.ActorCriticTask(model, task, States(4, 4), EpisodeActions, targets, advantages);
    }

    private static Func<Tensor> ActorCriticDistilledLoss(DistralModel model, float[]? advantages = null, int task = 1)
    {
        var probabilities = DistralLosses.TaskProbabilities(model, task, States(3, 5));
        advantages ??= [0.7f, -0.2f, 1.1f];
        return () => DistralLosses.ActorCriticDistilled(model, task, States(3, 5), EpisodeActions, advantages, [1f, 0.95f, 0.9025f], probabilities);
    }

    /// <summary>h0's gradient, flattened, after <paramref name="loss"/>'s backward pass.</summary>
    private static float[] DistilledGradient(DistralModel model, Func<Tensor> loss)
    {
        model.Distilled.ZeroGrad();
        loss().Backward();
        return model.Distilled.Parameters().SelectMany(p => p.Grad!.ToArray()).ToArray();
    }

    [TestCaseSource(nameof(Parameterisations))]
    public void EachLossReachesOnlyItsOwnNetworks(DistralColumns columns)
    {
        var sql = Model(WithColumns(DistralOptions.ThesisSql, columns));
        var ac = Model(WithColumns(DistralOptions.ThesisActorCritic, columns));
        bool twoColumn = columns == DistralColumns.TwoColumn;
        Assert.Multiple(() =>
        {
            Assert.That(NetworksWithGradients(sql, SoftQLoss(sql, regularise: true)), Is.EqualTo(new[] { "task1" }), "soft-Q task loss");
            Assert.That(NetworksWithGradients(sql, SoftQLoss(sql, regularise: false)), Is.EqualTo(new[] { "task1" }), "soft-Q task loss, n-step");
            Assert.That(NetworksWithGradients(sql, () => DistillationLoss(sql)), Is.EqualTo(new[] { "distilled" }), "π0 maximum likelihood");
            Assert.That(NetworksWithGradients(ac, ActorCriticTaskLoss(ac)), Is.EqualTo(new[] { "task1" }), "actor-critic task loss");
            Assert.That(NetworksWithGradients(ac, ActorCriticDistilledLoss(ac)), Is.EqualTo(new[] { "distilled" }), "actor-critic π0 loss");
        });
        // The policy-gradient term of eq. 2.74 reaches h0 through a 2-col π_i, and only there: the advantages move h0's
        // gradient for 2-col and leave it alone for 1-col.
        var withAdvantages = DistilledGradient(ac, ActorCriticDistilledLoss(ac));
        var withoutAdvantages = DistilledGradient(ac, ActorCriticDistilledLoss(ac, advantages: [0f, 0f, 0f]));
        double difference = withAdvantages.Zip(withoutAdvantages, (a, b) => Math.Abs(a - b)).Max();
        if (twoColumn) Assert.That(difference, Is.GreaterThan(1e-4), "2-col: the policy-gradient term reaches h0");
        else Assert.That(difference, Is.EqualTo(0), "1-col: π_i does not depend on h0");
    }

    [Test]
    public void ActorCriticPi0GradientIsTheDifferenceOfPolicyAndPi0Probabilities()
    {
        // One step, 1-col (no policy-gradient term): d loss / d h0(a) = −(α/β) γ^0 (π_i(a) − π0(a)) (eq. 2.74).
        var model = Model(DistralOptions.ThesisActorCritic with { Columns = DistralColumns.OneColumn });
        var state = States(1, 7);
        var h0 = Tensor.FromArray(new float[] { 0.3f, -0.2f, 0.5f, 0.1f }, 1, 4);
        h0.RequiresGrad = true;
        var taskValues = model.Tasks[0].Forward(state).Detach();
        var taskProbabilities = model.TaskLogits(taskValues, null).Softmax(1).ToArray();
        var pi0 = h0.Detach().Softmax(1).ToArray();
        // The loss written through h0 directly, with the same formula as ActorCriticDistilled.
        var loss = (model.TaskLogits(taskValues, null).LogSoftmax(1).Detach().Exp() * h0.LogSoftmax(1)).Sum() * (-0.8f / 5f);
        loss.Backward();
        var gradient = h0.Grad!.ToArray();
        for (int a = 0; a < 4; a++) Assert.That(gradient[a], Is.EqualTo(-0.8 / 5 * (taskProbabilities[a] - pi0[a])).Within(1e-6));
    }

    /// <summary>Finite differences over every parameter of the networks a loss reaches.</summary>
    private static void CheckLossGradients(DistralModel model, Func<Tensor> loss, params Module[] networks)
    {
        var parameters = networks.SelectMany(n => n.Parameters()).ToArray();
        GradCheck.Check(_ => loss(), parameters, h: 1e-2, rtol: 3e-2, atol: 3e-3);
    }

    [TestCaseSource(nameof(Parameterisations))]
    public void SoftQTaskLossGradientsMatchFiniteDifferences(DistralColumns columns)
    {
        var model = Model(WithColumns(DistralOptions.ThesisSql, columns) with { Activation = ActivationKind.Tanh });
        CheckLossGradients(model, SoftQLoss(model, regularise: true), model.Tasks[1]);
    }

    [Test]
    public void DistillationLossGradientsMatchFiniteDifferences()
    {
        var model = Model(DistralOptions.ThesisSql with { Activation = ActivationKind.Tanh });
        CheckLossGradients(model, () => DistillationLoss(model), model.Distilled);
    }

    [TestCaseSource(nameof(Parameterisations))]
    public void ActorCriticLossGradientsMatchFiniteDifferences(DistralColumns columns)
    {
        var model = Model(WithColumns(DistralOptions.ThesisActorCritic, columns) with { Activation = ActivationKind.Tanh });
        CheckLossGradients(model, ActorCriticTaskLoss(model, terminated: false), model.Tasks[1]);
        CheckLossGradients(model, ActorCriticDistilledLoss(model), model.Distilled);
    }

    [TestCase(-0.1f, nameof(DistralOptions.Alpha))]
    [TestCase(1.5f, nameof(DistralOptions.Alpha))]
    [TestCase(float.NaN, nameof(DistralOptions.Alpha))]
    public void AlphaOutsideTheUnitIntervalIsRejected(float alpha, string option)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DistralEstimator(new DistralOptions { Alpha = alpha }));
        Assert.That(e!.ParamName, Is.EqualTo(option));
        Assert.That(e.Message, Does.Contain("DistralOptions.Alpha must be"));
    }

    [TestCase(0f)]
    [TestCase(-5f)]
    [TestCase(float.PositiveInfinity)]
    public void NonPositiveBetaIsRejected(float beta)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DistralEstimator(new DistralOptions { Beta = beta }));
        Assert.That(e!.ParamName, Is.EqualTo(nameof(DistralOptions.Beta)));
        Assert.That(e.Message, Does.Contain("finite and > 0"));
    }

    [Test]
    public void TaskPolicyScaleBelongsToOneColumnPolicies()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DistralEstimator(DistralOptions.ThesisSql with { TaskPolicyScale = 5f }));
        Assert.That(e!.ParamName, Is.EqualTo(nameof(DistralOptions.TaskPolicyScale)));
        Assert.DoesNotThrow(() => new DistralEstimator(DistralOptions.ThesisSql with { Columns = DistralColumns.OneColumn, TaskPolicyScale = 5f }));
    }

    [Test]
    public void OtherBadOptionsNameThemselves()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ParamOf(new DistralOptions { NStep = 0 }), Is.EqualTo(nameof(DistralOptions.NStep)));
            Assert.That(ParamOf(new DistralOptions { BatchSize = 256, ReplayCapacity = 100 }), Is.EqualTo(nameof(DistralOptions.ReplayCapacity)));
            Assert.That(ParamOf(new DistralOptions { ExplorationEnd = 0.95f }), Is.EqualTo(nameof(DistralOptions.ExplorationEnd)));
            Assert.That(ParamOf(new DistralOptions { HiddenSizes = [] }), Is.EqualTo(nameof(DistralOptions.HiddenSizes)));
            Assert.That(ParamOf(new DistralOptions { Framework = (DistralFramework)7 }), Is.EqualTo(nameof(DistralOptions.Framework)));
        });

        static string? ParamOf(DistralOptions options) =>
            Assert.Throws<ArgumentOutOfRangeException>(() => new DistralEstimator(options))!.ParamName;
    }

    /// <summary>A hand-written task set that does not check its tasks' spaces, as a user's might not.</summary>
    private sealed class MismatchedTasks : ITaskSet
    {
        public string Name => "mismatched";
        public int TaskCount => 2;
        public IReadOnlyList<string> TaskIds => ["grid", "cartpole"];
        public Space ObservationSpace => new Box(-1f, 1f, 3);
        public Space ActionSpace => new Discrete(4);
        public IEnvironment CreateEnvironment(int task) => task == 0 ? new RLKit.Envs.Grid.DistralGrid(4) : new RLKit.Envs.Classic.CartPole();
    }

    [Test]
    public void TasksThatDisagreeOnSpacesAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new DistralEstimator().Fit(new MismatchedTasks(), Budget.Steps(10)));
        TestContext.Out.WriteLine(e!.Message);
        Assert.That(e.ParamName, Is.EqualTo("taskSet"));
        Assert.That(e.Message, Does.Contain("task 1 (cartpole)").And.Contain("observation space"));
    }

    [Test]
    public void AWarmStartNeedsTheSameTasks()
    {
        var options = new DistralOptions { HiddenSizes = [8], BatchSize = 8, Seed = 1 };
        var agent = new DistralEstimator(options).Fit(DistralLearningTests.Grids(4, 5), Budget.Steps(20));
        var e = Assert.Throws<ArgumentException>(() => new DistralEstimator(options).Fit(DistralLearningTests.Grids(4, 5, 6), Budget.Steps(20), initialAgent: agent));
        Assert.That(e!.ParamName, Is.EqualTo("initialAgent"));
        Assert.That(e.Message, Does.Contain("2 tasks"));
    }

    [TestCase(DistralFramework.SoftQLearning, DistralColumns.TwoColumn)]
    [TestCase(DistralFramework.ActorCritic, DistralColumns.OneColumn)]
    public void CheckpointRoundTripKeepsEveryPolicyAndTheTaskIds(DistralFramework framework, DistralColumns columns)
    {
        var tasks = DistralLearningTests.Grids(4, 5, 7);
        var options = new DistralOptions { Framework = framework, Columns = columns, HiddenSizes = [16], BatchSize = 16, Seed = 9 };
        var agent = new DistralEstimator(options).Fit(tasks, Budget.Steps(600));
        using var directory = new TemporaryDirectory("rlkit-distral");
        string path = directory.File("distral" + Checkpoint.FileExtension);
        Checkpoint.Save(agent, path);

        var loaded = (DistralAgent)Checkpoint.LoadAgent(path);
        Assert.That(loaded.TaskIds, Is.EqualTo(tasks.TaskIds));
        Assert.That(loaded.Options, Is.EqualTo(agent.Options).Using<DistralOptions>((a, b) => a.Framework == b.Framework && a.Columns == b.Columns && a.HiddenSizes.SequenceEqual(b.HiddenSizes)));
        var observations = GradCheck.Input(new RandomGenerator(4), [64, 3]);
        for (int task = -1; task < tasks.TaskCount; task++)
        {
            foreach (bool deterministic in new[] { true, false })
            {
                var expected = new int[64];
                var actual = new int[64];
                Act(agent, task, observations, expected, deterministic, new RandomGenerator(11));
                Act(loaded, task, observations, actual, deterministic, new RandomGenerator(11));
                Assert.That(actual, Is.EqualTo(expected), $"task {task}, deterministic {deterministic}");
            }
        }

        static void Act(DistralAgent agent, int task, Tensor observations, int[] actions, bool deterministic, RandomGenerator rng)
        {
            if (task < 0) agent.Act(observations, actions, deterministic, rng);   // π0
            else agent.Act(task, observations, actions, deterministic, rng);
        }
    }

    [Test]
    public void EpisodesPerTaskBudgetRunsUntilEveryTaskHasItsEpisodes()
    {
        var tasks = DistralLearningTests.Grids(5, 6);   // grid 6's goal is the closer one, so it finishes episodes first
        var recorders = new List<(int Task, RLKit.Environments.Wrappers.EpisodeStatistics Statistics)>();
        var recorded = new TaskSet("recorded", tasks.TaskIds, task =>
        {
            var statistics = new RLKit.Environments.Wrappers.EpisodeStatistics(tasks.CreateEnvironment(task));
            recorders.Add((task, statistics));
            return statistics;
        });
        new DistralEstimator(new DistralOptions { HiddenSizes = [8], BatchSize = 8, Seed = 3 }).Fit(recorded, Budget.EpisodesPerTask(3));
        var episodes = Enumerable.Range(0, 2).Select(task => recorders.Where(r => r.Task == task).Sum(r => r.Statistics.EpisodeCount)).ToArray();
        TestContext.Out.WriteLine($"episodes per task: {string.Join(", ", episodes)}");
        Assert.That(episodes.Min(), Is.EqualTo(3), "training ends with the episode that gives the slowest task its third");
    }

    [Test]
    public void ForTaskViewsActWithTheirTaskPolicy()
    {
        var agent = new DistralEstimator(new DistralOptions { HiddenSizes = [8], BatchSize = 8, Seed = 1 }).Fit(DistralLearningTests.Grids(4, 5), Budget.Steps(40));
        var observations = GradCheck.Input(new RandomGenerator(2), [32, 3]);
        var direct = new int[32];
        var viaView = new int[32];
        agent.Act(1, observations, direct, deterministic: true);
        agent.ForTask(1).Act(observations, viaView, deterministic: true);
        Assert.That(viaView, Is.EqualTo(direct));
        Assert.Throws<ArgumentOutOfRangeException>(() => agent.ForTask(2));
        Assert.That(((IMultiTaskAgent)agent).ForTask(0).ToString(), Does.Contain("DistralGrid4-v0"));
        Assert.Throws<ArgumentOutOfRangeException>(() => agent.Act(-1, observations, direct, deterministic: true));
    }

    [Test]
    public void RegisteredByNameAndThroughDependencyInjection()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddRLKit(builder => builder.AddMultiTaskAlgorithms());
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var factory = Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetRequiredKeyedService<IAgentEstimatorFactory>(provider, "distral");
        Assert.That(factory.EstimatorType, Is.EqualTo(typeof(DistralEstimator)));
        var rl = new RLContext(seed: 5);
        var estimator = rl.Agents.Distral(o => o with { Columns = DistralColumns.OneColumn, TaskPolicyScale = 5f });
        Assert.That(estimator.Options.TaskPolicyScale, Is.EqualTo(5f));
        Assert.That(rl.Agents.Distral(DistralOptions.PaperReplication).Options.NStep, Is.EqualTo(10));
    }
}
