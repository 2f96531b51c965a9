using RLKit.Algorithms.Common;
using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.SoftQ;
using RLKit.Algorithms.Td3;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests;

/// <summary>
/// Resumable off-policy training (issue 16): training 2N steps gives, bit for bit, the same agent as training N steps,
/// saving the checkpoint and the replay buffer to disk, loading both, and training N more on the same environment.
/// </summary>
[TestFixture]
public class OffPolicyResumeTests
{
    /// <summary>Fits one algorithm on <c>environment</c> for <c>budget</c>, warm-started from <c>initial</c> when given.</summary>
    public delegate IResumableAgent FitDelegate(IVectorEnvironment environment, Budget budget, ITrainingCallback[] callbacks, IAgent? initial);

    /// <param name="Environment">The environment id.</param>
    /// <param name="Envs">Sub-environments of the vector environment.</param>
    /// <param name="HalfSteps">N: the steps before the pause (a multiple of the sub-environment count, past learning starts).</param>
    /// <param name="ScheduledOverBudget">
    /// Whether a schedule depends on the budget (DQN's ε): then the first part is a 2N-step Fit paused at N by a callback,
    /// as an interrupted run is, so that its schedule has the uninterrupted run's length.
    /// </param>
    /// <param name="Fit">Fits the algorithm.</param>
    public sealed record ResumeCase(string Environment, int Envs, long HalfSteps, bool ScheduledOverBudget, FitDelegate Fit);

    private static IEnumerable<TestCaseData> Cases()
    {
        // DQN with everything that has state: ε mid-anneal at the pause, double DQN, hard target syncs, 3-step returns
        // and prioritized replay (priorities and β annealing).
        yield return Case("dqn", "CartPole-v1", envs: 2, halfSteps: 200, scheduledOverBudget: true, (env, budget, callbacks, initial) =>
            new DqnEstimator(new DqnOptions
            {
                HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, TrainFrequency = 4, GradientSteps = 2, TargetUpdateInterval = 24,
                ExplorationFraction = 0.8f, DoubleDqn = true, NStep = 3, Prioritized = new PrioritizedReplayOptions { BetaAnnealingSamples = 500 }, Seed = 5,
            }, callbacks).Fit(env, budget, initialAgent: (DqnAgent?)initial));
        yield return Case("sql", "CartPole-v1", envs: 2, halfSteps: 200, scheduledOverBudget: false, (env, budget, callbacks, initial) =>
            new SoftQEstimator(new SoftQOptions
            {
                HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, TrainFrequency = 4, GradientSteps = 2, Tau = 0.05f, Seed = 5,
            }, callbacks).Fit(env, budget, initialAgent: (SoftQAgent?)initial));
        // SAC: the entropy temperature log α and its optimizer, the delayed actor (an odd number of updates at the pause).
        yield return Case("sac", "Pendulum-v1", envs: 2, halfSteps: 90, scheduledOverBudget: false, (env, budget, callbacks, initial) =>
            new SacEstimator(new SacOptions { HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, Seed = 5 }, callbacks)
                .Fit(env, budget, initialAgent: (SacAgent?)initial));
        yield return Case("sac-discrete", "CartPole-v1", envs: 2, halfSteps: 200, scheduledOverBudget: false, (env, budget, callbacks, initial) =>
            new DiscreteSacEstimator(new DiscreteSacOptions
            {
                HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, TargetNetworkFrequency = 6, Seed = 5,
            }, callbacks).Fit(env, budget, initialAgent: (DiscreteSacAgent?)initial));
        yield return Case("td3", "Pendulum-v1", envs: 2, halfSteps: 90, scheduledOverBudget: false, (env, budget, callbacks, initial) =>
            new Td3Estimator(new Td3Options { HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, Seed = 5 }, callbacks)
                .Fit(env, budget, initialAgent: (Td3Agent?)initial));
        // DDPG with Ornstein–Uhlenbeck noise, whose process state must continue too.
        yield return Case("ddpg", "Pendulum-v1", envs: 2, halfSteps: 90, scheduledOverBudget: false, (env, budget, callbacks, initial) =>
            new DdpgEstimator(new DdpgOptions
            {
                HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, ExplorationNoise = ExplorationNoiseKind.OrnsteinUhlenbeck, Seed = 5,
            }, callbacks).Fit(env, budget, initialAgent: (DdpgAgent?)initial));
    }

    private static TestCaseData Case(string name, string environment, int envs, long halfSteps, bool scheduledOverBudget, FitDelegate fit) =>
        new TestCaseData(new ResumeCase(environment, envs, halfSteps, scheduledOverBudget, fit)).SetName(name);

    private static SyncVectorEnvironment MakeEnvironment(ResumeCase resume)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        return new SyncVectorEnvironment(Enumerable.Range(0, resume.Envs).Select(_ => catalog.Make(resume.Environment)).ToList(), AutoresetMode.SameStep);
    }

    /// <summary>The first part of the resumed run: N steps, or a 2N-step Fit paused at N when a schedule spans the budget.</summary>
    private static IResumableAgent FirstPart(ResumeCase resume, IVectorEnvironment environment) => resume.ScheduledOverBudget
        ? resume.Fit(environment, Budget.Steps(2 * resume.HalfSteps), [new PauseAt(resume.HalfSteps)], null)
        : resume.Fit(environment, Budget.Steps(resume.HalfSteps), [], null);

    [TestCaseSource(nameof(Cases))]
    public void Training_2N_steps_equals_N_then_save_load_and_N_more(ResumeCase resume)
    {
        using var uninterruptedEnvironment = MakeEnvironment(resume);
        var uninterrupted = resume.Fit(uninterruptedEnvironment, Budget.Steps(2 * resume.HalfSteps), [], null);

        using var environment = MakeEnvironment(resume);
        using var files = new TemporaryDirectory("rlkit-offpolicy-resume");
        var first = FirstPart(resume, environment);
        Assert.That(first.TrainingState!.Steps, Is.EqualTo(resume.HalfSteps), "the first part stops at N steps");
        var weightsAtPause = Bits(first.Weights);
        Checkpoint.Save(first, files.File("agent.rlkit"));
        ((IOffPolicyAgent)first).ReplayBuffer!.Save(files.File("agent.replay"));

        var loaded = (IResumableAgent)Checkpoint.LoadAgent(files.File("agent.rlkit"));
        Assert.That(loaded.TrainingState, Is.Not.Null, "the checkpoint carries the training state");
        Assert.That(((IOffPolicyAgent)loaded).ReplayBuffer, Is.Null, "a checkpoint holds no transitions");
        ((IOffPolicyAgent)loaded).ReplayBuffer = ReplayBuffer.Load(files.File("agent.replay"));
        var resumed = resume.Fit(environment, Budget.Steps(resume.HalfSteps), [], loaded);

        Assert.That(resumed.TrainingState!.Steps, Is.EqualTo(2 * resume.HalfSteps), "the step count continues");
        Assert.That(Bits(resumed.Weights), Is.Not.EqualTo(weightsAtPause), "the second part trains");
        AssertSameBits(resumed.Weights, uninterrupted.Weights, "weights");
        AssertSameBits(resumed.OptimizerState!, uninterrupted.OptimizerState!, "optimizer state");
        AssertSameBits(resumed.TrainingState.Tensors, uninterrupted.TrainingState!.Tensors, "target networks and observations");
        Assert.That(resumed.TrainingState.Counters, Is.EqualTo(uninterrupted.TrainingState.Counters));
        Assert.That(resumed.TrainingState.Generators, Is.EqualTo(uninterrupted.TrainingState.Generators));
        Assert.That(resumed.TrainingState.Episodes, Is.EqualTo(uninterrupted.TrainingState.Episodes));
        Assert.That(resumed.TrainingState.Updates, Is.EqualTo(uninterrupted.TrainingState.Updates));

        // The replay buffers hold the same transitions, priorities and positions: their files are byte for byte the same.
        ((IOffPolicyAgent)resumed).ReplayBuffer!.Save(files.File("resumed.replay"));
        ((IOffPolicyAgent)uninterrupted).ReplayBuffer!.Save(files.File("uninterrupted.replay"));
        Assert.That(File.ReadAllBytes(files.File("resumed.replay")), Is.EqualTo(File.ReadAllBytes(files.File("uninterrupted.replay"))));
    }

    [TestCaseSource(nameof(Cases))]
    public void Resuming_on_a_fresh_environment_is_reproducible_and_continues_the_count(ResumeCase resume)
    {
        using var environment = MakeEnvironment(resume);
        using var files = new TemporaryDirectory("rlkit-offpolicy-fresh");
        var first = FirstPart(resume, environment);
        Checkpoint.Save(first, files.File("agent.rlkit"));
        ((IOffPolicyAgent)first).ReplayBuffer!.Save(files.File("agent.replay"));

        // As in a new process: a new environment, which the resumed Fit must reset (it cannot continue an episode it never saw).
        IResumableAgent ResumeFresh()
        {
            var loaded = (IResumableAgent)Checkpoint.LoadAgent(files.File("agent.rlkit"));
            ((IOffPolicyAgent)loaded).ReplayBuffer = ReplayBuffer.Load(files.File("agent.replay"));
            using var fresh = MakeEnvironment(resume);
            return resume.Fit(fresh, Budget.Steps(resume.HalfSteps), [], loaded);
        }
        var once = ResumeFresh();
        var again = ResumeFresh();

        Assert.That(once.TrainingState!.Steps, Is.EqualTo(2 * resume.HalfSteps));
        AssertSameBits(once.Weights, again.Weights, "weights of two resumptions from the same files");
        Assert.That(once.TrainingState.Episodes, Is.GreaterThanOrEqualTo(first.TrainingState!.Episodes));
    }

    [Test]
    public void Without_the_training_state_or_the_buffer_the_resumed_run_differs()
    {
        // The bit-exact test above can fail: dropping either part of what is saved changes the result.
        var sac = (ResumeCase)Cases().Single(c => c.TestName == "sac").Arguments[0]!;
        using var reference = MakeEnvironment(sac);
        var uninterrupted = Bits(sac.Fit(reference, Budget.Steps(2 * sac.HalfSteps), [], null).Weights);

        foreach (var drop in new[] { "training state", "replay buffer" })
        {
            using var environment = MakeEnvironment(sac);
            var first = sac.Fit(environment, Budget.Steps(sac.HalfSteps), [], null);
            if (drop == "training state") first.TrainingState = null;
            else ((IOffPolicyAgent)first).ReplayBuffer = null;
            var resumed = sac.Fit(environment, Budget.Steps(sac.HalfSteps), [], first);
            Assert.That(Bits(resumed.Weights), Is.Not.EqualTo(uninterrupted), $"resumed without the {drop}");
        }
    }

    [Test]
    public void A_replay_buffer_that_does_not_fit_is_refused_naming_the_difference()
    {
        var sac = new SacOptions { HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, Seed = 5 };
        using var environment = new SyncVectorEnvironment([StandardEnvironments.CreateCatalog().Make("Pendulum-v1")], AutoresetMode.SameStep);
        var agent = new SacEstimator(sac).Fit(environment, Budget.Steps(40));
        agent.ReplayBuffer = new ReplayBuffer(3, ActionLayout.Continuous(1), new ReplayBufferOptions { Capacity = 1000 });

        var e = Assert.Throws<ArgumentException>(() => new SacEstimator(sac).Fit(environment, Budget.Steps(40), initialAgent: agent));
        Assert.That(e!.ParamName, Is.EqualTo("initialAgent"));
        Assert.That(e.Message, Does.Contain("replay buffer").And.Contain("Capacity = 1000").And.Contain("ReplayBuffer to null"));
        Assert.That(agent.TrainingState, Is.Not.Null, "a refused resume leaves the agent's state as it was");
        Assert.That(agent.OptimizerState, Is.Not.Null, "a refused resume leaves the agent's optimizer state as it was");
    }

    [Test]
    public void A_training_state_of_another_algorithm_is_refused_naming_what_is_missing()
    {
        using var environment = new SyncVectorEnvironment([StandardEnvironments.CreateCatalog().Make("Pendulum-v1")], AutoresetMode.SameStep);
        var options = new Td3Options { HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, Seed = 5 };
        var td3 = new Td3Estimator(options).Fit(environment, Budget.Steps(40));
        var sac = new SacEstimator(new SacOptions { HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16 }).Fit(environment, Budget.Steps(40));
        td3.TrainingState = sac.TrainingState;

        var e = Assert.Throws<InvalidOperationException>(() => new Td3Estimator(options).Fit(environment, Budget.Steps(40), initialAgent: td3));
        Assert.That(e!.Message, Does.Contain("actor_target").And.Contain("TrainingState to null"));
        Assert.That(td3.TrainingState, Is.SameAs(sac.TrainingState), "a refused resume leaves the agent's state as it was");
    }

    [Test]
    public void A_checkpoint_whose_training_state_lacks_a_tensor_is_refused_naming_it()
    {
        using var environment = new SyncVectorEnvironment([StandardEnvironments.CreateCatalog().Make("Pendulum-v1")], AutoresetMode.SameStep);
        var agent = new SacEstimator(new SacOptions { HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16 }).Fit(environment, Budget.Steps(40));
        using var files = new TemporaryDirectory("rlkit-offpolicy-corrupt");
        string path = files.File("agent.rlkit");
        Checkpoint.Save(agent, path);
        var file = RLKit.Serialization.SafeTensors.Load(path);
        var tensors = file.Tensors.Where(t => !t.Key.StartsWith("__training__.q1_target", StringComparison.Ordinal))
                                  .ToDictionary(t => t.Key, t => t.Value);
        Assert.That(tensors, Has.Count.LessThan(file.Tensors.Count), "the file had the target network's tensors");
        RLKit.Serialization.SafeTensors.Save(path, tensors, file.Metadata);

        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path));
        Assert.That(e!.Message, Does.Contain("training state").And.Contain("q1_target"));
    }


    private static Dictionary<string, int[]> Bits(IReadOnlyDictionary<string, Tensor> tensors) =>
        tensors.ToDictionary(t => t.Key, t => t.Value.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray());

    private static void AssertSameBits(IReadOnlyDictionary<string, Tensor> actual, IReadOnlyDictionary<string, Tensor> expected, string what)
    {
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys), what);
        var expectedBits = Bits(expected);
        foreach (var (name, bits) in Bits(actual))
            Assert.That(bits, Is.EqualTo(expectedBits[name]), $"{what}: '{name}'");
    }
}
