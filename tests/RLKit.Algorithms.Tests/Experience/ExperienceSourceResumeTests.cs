using System.Diagnostics;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.Td3;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;
using RLKit.Training.Experience;

namespace RLKit.Algorithms.Tests.Experience;

/// <summary>
/// An asynchronous run resumed from a checkpoint (<c>Fit(source, …, initialAgent)</c>): the weights, the optimizers'
/// state, the counts and the schedules continue, and an initial agent that does not fit the source is refused.
/// </summary>
[TestFixture]
public sealed class ExperienceSourceResumeTests
{
    /// <summary>The step count of the first parameter's Adam state under <paramref name="prefix"/> (the row is (high, low) of a split count).</summary>
    private static long AdamStep(IReadOnlyDictionary<string, Tensor> state, string prefix)
    {
        var step = state[$"{prefix}.step"].AsReadOnlySpan();
        return (long)step[0] * (1 << 24) + (long)step[1];
    }

    private static Dictionary<string, float[]> Copy(IReadOnlyDictionary<string, Tensor> weights) =>
        weights.ToDictionary(w => w.Key, w => w.Value.AsReadOnlySpan().ToArray());

    /// <summary>New producers that copy the weights of their first publish (the policy they act with from the start) into <paramref name="firstPublish"/>.</summary>
    private static LocalExperienceSource RecordingFirstPublish(string id, int groups, int environmentsPerGroup, int stepsPerBatch, ulong seed,
                                                               out List<Dictionary<string, float[]>> firstPublish)
    {
        var into = firstPublish = [];
        return new LocalExperienceSource(id, groups, environmentsPerGroup, stepsPerBatch, seed)
        {
            OnPublish = (policy, _) => { if (into.Count == 0) into.Add(Copy(((ICheckpointable)policy).Weights)); },
        };
    }

    [Test]
    public void DqnResumedFromACheckpointContinuesItsWeightsOptimizerAndScheduleAndLearnsCartPole()
    {
        const long Total = 50_000, Pause = 20_000;
        var options = new DqnOptions { TrainFrequency = 32, Seed = 1 };
        var clock = Stopwatch.StartNew();
        using var files = new TemporaryDirectory("rlkit-async-resume");

        // The first learner: a 50,000-transition run that stops at 20,000 (as a learner that is stopped and restarted).
        using (var source = new LocalExperienceSource("CartPole-v1", groups: 4, environmentsPerGroup: 2, stepsPerBatch: 32, seed: 1))
        {
            var first = new DqnEstimator(options, [new PauseAt(Pause)]).Fit(source, Budget.Steps(Total));
            Assert.That(first.TrainingState, Is.Not.Null, "an async Fit leaves a training state");
            Assert.That(first.TrainingState!.Steps, Is.InRange(Pause, Pause + 256));
            Checkpoint.Save(first, files.File("dqn.rlkit"));
        }

        // The restarted learner: new producers, the checkpoint (weights, Adam, training state; no transitions), the rest of the budget.
        var loaded = (DqnAgent)Checkpoint.LoadAgent(files.File("dqn.rlkit"));
        long savedSteps = loaded.TrainingState!.Steps;
        long savedAdamStep = AdamStep(loaded.OptimizerState!, "q");
        var loadedWeights = Copy(loaded.Weights);
        var updates = new List<TrainingUpdate>();
        using var resumedSource = RecordingFirstPublish("CartPole-v1", groups: 4, environmentsPerGroup: 2, stepsPerBatch: 32, seed: 2, out var firstPublish);
        var agent = new DqnEstimator(options).Fit(resumedSource, Budget.Steps(Total - savedSteps), new SynchronousProgress(updates.Add), initialAgent: loaded);
        double mean = LearningEvaluation.GreedyMeanReturn(agent, "CartPole-v1", episodes: 10, seed: 1000);
        TestContext.Out.WriteLine($"dqn resumed at {savedSteps} transitions: mean greedy return {mean:0.0} after {clock.Elapsed.TotalSeconds:0.0} s");

        int reported = updates.Count(u => !u.IsFinal);
        Assert.Multiple(() =>
        {
            Assert.That(firstPublish.Single(), Is.EqualTo(loadedWeights), "the first published policy is the checkpoint's");
            Assert.That(resumedSource.Published[0].Epsilon, Is.EqualTo(DqnEstimator.Epsilon(options, savedSteps / (double)Total)).And.LessThan(1f),
                        "ε continues from the saved count instead of restarting at 1");
            Assert.That(updates[0].Steps, Is.GreaterThan(savedSteps), "the transition count continues");
            Assert.That(updates[0].Steps - savedSteps, Is.InRange(options.LearningStarts, options.LearningStarts + 320),
                        "the regressions wait until the fresh buffer holds LearningStarts transitions, then come every TrainFrequency vector steps");
            Assert.That(AdamStep(agent.OptimizerState!, "q"), Is.EqualTo(savedAdamStep + (long)reported * options.GradientSteps),
                        "Adam's step count continues from the checkpoint's");
            Assert.That(agent.TrainingState!.Steps, Is.GreaterThanOrEqualTo(Total));
            Assert.That(mean, Is.GreaterThanOrEqualTo(195));
        });
    }

    [Test]
    public void SacResumedFromACheckpointContinuesItsWeightsOptimizersAndCounts()
    {
        var options = new SacOptions { HiddenSizes = [16, 16], BatchSize = 32, LearningStarts = 200, Seed = 3 };
        using var files = new TemporaryDirectory("rlkit-async-resume-sac");
        using (var source = new LocalExperienceSource("Pendulum-v1", groups: 2, environmentsPerGroup: 1, stepsPerBatch: 20, seed: 3))
            Checkpoint.Save(new SacEstimator(options).Fit(source, Budget.Steps(400)), files.File("sac.rlkit"));

        var loaded = (SacAgent)Checkpoint.LoadAgent(files.File("sac.rlkit"));
        var saved = loaded.TrainingState!;
        long savedCriticStep = AdamStep(loaded.OptimizerState!, "critic");
        var loadedWeights = Copy(loaded.Weights);
        var updates = new List<TrainingUpdate>();
        using var resumedSource = RecordingFirstPublish("Pendulum-v1", groups: 2, environmentsPerGroup: 1, stepsPerBatch: 20, seed: 4, out var firstPublish);
        var agent = new SacEstimator(options).Fit(resumedSource, Budget.Steps(300), new SynchronousProgress(updates.Add), initialAgent: loaded);

        int reported = updates.Count(u => !u.IsFinal);
        Assert.Multiple(() =>
        {
            Assert.That(agent, Is.SameAs(loaded), "SAC trains the initial agent in place, as its local Fit does");
            Assert.That(firstPublish.Single(), Is.EqualTo(loadedWeights), "the first published policy is the checkpoint's");
            Assert.That(resumedSource.Published, Has.All.Property(nameof(ExplorationBehavior.Kind)).EqualTo(ExplorationKind.PolicySampling),
                        "no second uniformly random warm-up: LearningStarts counts the whole run");
            // The batch that brings the fresh buffer to LearningStarts (200) is the 10th of 20 transitions; its 10 vector steps and the later ones update.
            Assert.That(reported, Is.EqualTo((300 - 180) / 2), "one update per vector step once the fresh buffer holds LearningStarts transitions");
            Assert.That(AdamStep(agent.OptimizerState!, "critic"), Is.EqualTo(savedCriticStep + reported), "the critic's Adam continues");
            Assert.That(agent.TrainingState!.Steps, Is.EqualTo(saved.Steps + 300));
            Assert.That(agent.TrainingState.Updates, Is.EqualTo(saved.Updates + reported));
            Assert.That(agent.TrainingState.Counter("updates"), Is.EqualTo(saved.Counter("updates") + reported));
        });
    }

    [Test]
    public void AnInMemoryAgentKeepsItsAsyncReplayBufferButNotALocalOne()
    {
        var options = new Td3Options { HiddenSizes = [16], BatchSize = 16, LearningStarts = 50, Seed = 2 };
        using var source = new LocalExperienceSource("Pendulum-v1", groups: 2, environmentsPerGroup: 1, stepsPerBatch: 10, seed: 2);
        var agent = new Td3Estimator(options).Fit(source, Budget.Steps(100));
        var buffer = agent.ReplayBuffer!;
        new Td3Estimator(options).Fit(source, Budget.Steps(100), initialAgent: agent);
        Assert.That(agent.ReplayBuffer, Is.SameAs(buffer), "a buffer with the source's layout (one column) is continued");
        Assert.That(buffer.Count, Is.EqualTo(200));

        using var environment = LearningEvaluation.MakeVector("Pendulum-v1", 2);
        var local = new Td3Estimator(options).Fit(environment, Budget.Steps(100));
        var localBuffer = local.ReplayBuffer!;
        new Td3Estimator(options).Fit(source, Budget.Steps(100), initialAgent: local);
        Assert.That(local.ReplayBuffer, Is.Not.SameAs(localBuffer), "a local Fit's two-column buffer is replaced by a fresh one");
        Assert.That(local.ReplayBuffer!.Count, Is.EqualTo(100));
        Assert.That(local.TrainingState!.Steps, Is.EqualTo(200), "the local run's training state is continued");
    }

    [Test]
    public void AnInitialAgentThatDoesNotFitTheSourceIsRefusedNamingIt()
    {
        using var cartPole = new LocalExperienceSource("CartPole-v1", groups: 1, environmentsPerGroup: 1, stepsPerBatch: 8, seed: 0);
        using var pendulum = new LocalExperienceSource("Pendulum-v1", groups: 1, environmentsPerGroup: 1, stepsPerBatch: 8, seed: 0);
        using var cartPoleContinuous = new LocalExperienceSource("CartPoleContinuous-v1", groups: 1, environmentsPerGroup: 1, stepsPerBatch: 8, seed: 0);
        var small = new DqnOptions { HiddenSizes = [8], LearningStarts = 8, BatchSize = 8 };
        var dqn = new DqnEstimator(small).Fit(cartPole, Budget.Steps(32));
        var sacOptions = new SacOptions { HiddenSizes = [8], LearningStarts = 8, BatchSize = 8 };
        var sac = new SacEstimator(sacOptions).Fit(pendulum, Budget.Steps(32));
        var td3Options = new Td3Options { HiddenSizes = [8], LearningStarts = 8, BatchSize = 8 };
        var td3 = new Td3Estimator(td3Options).Fit(pendulum, Budget.Steps(32));
        var td3State = td3.TrainingState;

        // Another observation size than the source's (3 floats, not 4).
        var spaces = Assert.Throws<ArgumentException>(() => new SacEstimator(sacOptions).Fit(cartPoleContinuous, Budget.Steps(16), initialAgent: sac));
        // Another architecture than the options' (DQN builds its network from the options and loads the agent's weights).
        var architecture = Assert.Throws<ArgumentException>(() => new DqnEstimator().Fit(cartPole, Budget.Steps(16), initialAgent: dqn));
        // A training state written by another algorithm.
        td3.TrainingState = sac.TrainingState;
        var otherAlgorithm = Assert.Throws<ArgumentException>(() => new Td3Estimator(td3Options).Fit(pendulum, Budget.Steps(16), initialAgent: td3));

        Assert.Multiple(() =>
        {
            TestContext.Out.WriteLine(spaces!.Message);
            Assert.That(spaces.ParamName, Is.EqualTo("initialAgent"));
            Assert.That(spaces.Message, Does.Contain("initial agent acts on").And.Contain("experience source has"));
            TestContext.Out.WriteLine(architecture!.Message);
            Assert.That(architecture.ParamName, Is.EqualTo("initialAgent"));
            Assert.That(architecture.Message, Does.Contain("dqn").And.Contain("does not fit"));
            TestContext.Out.WriteLine(otherAlgorithm!.Message);
            Assert.That(otherAlgorithm.ParamName, Is.EqualTo("initialAgent"));
            Assert.That(otherAlgorithm.Message, Does.Contain("td3").And.Contain("actor_target"));
            Assert.That(td3.TrainingState, Is.SameAs(sac.TrainingState), "a refused resume leaves the agent as it was");
            Assert.That(td3.OptimizerState, Is.Not.Null);
            Assert.That(sac.TrainingState, Is.Not.Null);
        });
        td3.TrainingState = td3State;
    }
}
