using RLKit.Algorithms.A2c;
using RLKit.Algorithms.Ddpg;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Reinforce;
using RLKit.Algorithms.Sac;
using RLKit.Algorithms.SoftQ;
using RLKit.Algorithms.Td3;
using RLKit.Envs;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests;

/// <summary>
/// Resuming training through a checkpoint (<see cref="IResumableAgent"/>): every estimator leaves its optimizers' state on
/// the agent, the checkpoint carries it bit-exactly, and a warm-started Fit from the loaded agent continues the optimizers
/// (Adam's and RMSprop's step counts keep counting) instead of restarting them.
/// </summary>
[TestFixture]
public class ResumeTests
{
    /// <summary>One algorithm: how to fit it briefly (optionally warm-started), and which optimizer's step count to follow.</summary>
    /// <param name="StepKey">The "step" entry of an optimizer that updates on every gradient step.</param>
    /// <param name="UpdatesFixedByBudget">
    /// Whether the number of updates depends only on the step budget (so a resumed fit of the same budget exactly doubles
    /// the count of an on-policy algorithm, and reaches that of one fit of twice the budget for an off-policy one, whose
    /// resumed fit continues the step count instead of starting again); REINFORCE updates per finished episode, so its
    /// count depends on how long the episodes last.
    /// </param>
    /// <param name="ContinuesCount">Whether a resumed fit continues the step count (the off-policy algorithms' TrainingState).</param>
    public sealed record ResumeCase(string Environment, string StepKey, bool UpdatesFixedByBudget, bool ContinuesCount, Func<IAgent?, int, IResumableAgent> Fit);

    // Tiny networks, early learning starts and budgets of a few hundred steps: enough for several updates per optimizer.
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("ppo", "CartPole-v1", "network.step", true, (env, initial, scale) => new PpoEstimator(new PpoOptions
        {
            StepsPerEnvironment = 64, MinibatchSize = 32, Epochs = 2, HiddenSizes = [16, 16], Seed = 3,
        }).Fit(env, Budget.Steps(128 * scale), initialAgent: (PpoAgent?)initial));
        yield return Case("dqn", "CartPole-v1", "q.step", true, (env, initial, scale) => new DqnEstimator(new DqnOptions
        {
            HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, TrainFrequency = 8, GradientSteps = 4, Seed = 3,
        }).Fit(env, Budget.Steps(300 * scale), initialAgent: (DqnAgent?)initial));
        yield return Case("sql", "CartPole-v1", "q.step", true, (env, initial, scale) => new SoftQEstimator(new SoftQOptions
        {
            HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, TrainFrequency = 8, GradientSteps = 4, Seed = 3,
        }).Fit(env, Budget.Steps(300 * scale), initialAgent: (SoftQAgent?)initial));
        yield return Case("a2c", "CartPole-v1", "network.step", true, (env, initial, scale) => new A2cEstimator(new A2cOptions
        {
            HiddenSizes = [16, 16], Seed = 3,
        }).Fit(env, Budget.Steps(100 * scale), initialAgent: (A2cAgent?)initial));
        yield return Case("reinforce", "CartPole-v1", "network.step", false, (env, initial, scale) => new ReinforceEstimator(new ReinforceOptions
        {
            HiddenSizes = [16, 16], EpisodesPerUpdate = 2, Seed = 3,
        }).Fit(env, Budget.Steps(200 * scale), initialAgent: (ReinforceAgent?)initial));
        yield return Case("sac", "Pendulum-v1", "critic.step", true, (env, initial, scale) => new SacEstimator(new SacOptions
        {
            HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, Seed = 3,
        }).Fit(env, Budget.Steps(96 * scale), initialAgent: (SacAgent?)initial));
        yield return Case("sac-discrete", "CartPole-v1", "critic.step", true, (env, initial, scale) => new DiscreteSacEstimator(new DiscreteSacOptions
        {
            HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, Seed = 3,
        }).Fit(env, Budget.Steps(128 * scale), initialAgent: (DiscreteSacAgent?)initial));
        yield return Case("td3", "Pendulum-v1", "critic.step", true, (env, initial, scale) => new Td3Estimator(new Td3Options
        {
            HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, Seed = 3,
        }).Fit(env, Budget.Steps(96 * scale), initialAgent: (Td3Agent?)initial));
        yield return Case("ddpg", "Pendulum-v1", "critic.step", true, (env, initial, scale) => new DdpgEstimator(new DdpgOptions
        {
            HiddenSizes = [16, 16], LearningStarts = 32, BatchSize = 16, Seed = 3,
        }).Fit(env, Budget.Steps(96 * scale), initialAgent: (DdpgAgent?)initial));
    }

    private static TestCaseData Case(string name, string environment, string stepKey, bool fixedByBudget,
                                     Func<RLKit.Environments.IEnvironment, IAgent?, int, IResumableAgent> fit) =>
        new TestCaseData(new ResumeCase(environment, stepKey, fixedByBudget, ContinuesCount: name is not ("ppo" or "a2c" or "reinforce"), (initial, scale) =>
        {
            using var env = StandardEnvironments.CreateCatalog().Make(environment);
            return fit(env, initial, scale);
        })).SetName(name);

    /// <summary>Reads row 0 of an optimizer's "step" entry (stored as high·2²⁴ + low so float32 holds it exactly).</summary>
    private static long StepCount(IReadOnlyDictionary<string, Tensor> state, string key)
    {
        var row = state[key].AsReadOnlySpan();
        return (long)row[0] * (1L << 24) + (long)row[1];
    }

    [TestCaseSource(nameof(Cases))]
    public void A_checkpoint_carries_the_optimizer_state_and_a_warm_start_resumes_it(ResumeCase resume)
    {
        var trained = resume.Fit(null, 1);
        Assert.That(trained.OptimizerState, Is.Not.Null, "Fit leaves its optimizers' state on the agent");
        var saved = trained.OptimizerState!;
        long firstSteps = StepCount(saved, resume.StepKey);
        Assert.That(firstSteps, Is.GreaterThan(0), "the brief fit must update the optimizer at least once");

        var path = Path.Combine(Path.GetTempPath(), $"rlkit-resume-{Guid.NewGuid():N}{Checkpoint.FileExtension}");
        try
        {
            Checkpoint.Save(trained, path);
            var loaded = (IResumableAgent)Checkpoint.LoadAgent(path);

            // Bit-exact round trip of every entry, keys and shapes included.
            var restored = loaded.OptimizerState;
            Assert.That(restored, Is.Not.Null, "LoadAgent puts the saved optimizer state back on the agent");
            Assert.That(restored!.Keys, Is.EquivalentTo(saved.Keys));
            foreach (var (key, tensor) in saved)
            {
                Assert.That(restored[key].ShapeArray(), Is.EqualTo(tensor.ShapeArray()), key);
                Assert.That(restored[key].ToArray(), Is.EqualTo(tensor.ToArray()), key);
            }

            // Resuming from the loaded agent continues the step count; restarting fresh would count from zero again.
            var resumed = resume.Fit(loaded, 1);
            long resumedSteps = StepCount(resumed.OptimizerState!, resume.StepKey);
            if (resume.UpdatesFixedByBudget && resume.ContinuesCount)
                Assert.That(resumedSteps, Is.EqualTo(StepCount(resume.Fit(null, 2).OptimizerState!, resume.StepKey)),
                            "the same budget again brings the count to that of one fit of twice the budget");
            else if (resume.UpdatesFixedByBudget)
                Assert.That(resumedSteps, Is.EqualTo(2 * firstSteps), "the same budget again adds as many updates as the first fit");
            else
                Assert.That(resumedSteps, Is.GreaterThan(firstSteps));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_warm_started_agent_drops_its_old_state_while_training_and_gets_the_new_one_at_the_end()
    {
        var options = new PpoOptions { StepsPerEnvironment = 64, MinibatchSize = 32, Epochs = 1, HiddenSizes = [16, 16], Seed = 3 };
        using var env = StandardEnvironments.CreateCatalog().Make("CartPole-v1");
        var agent = new PpoEstimator(options).Fit(env, Budget.Steps(64));
        var first = agent.OptimizerState!;

        // Progress (like a checkpoint callback) sees the agent mid-fit, where its optimizer state must not be the stale one
        // from the first fit; the final update already sees the new state, so a checkpoint taken at the end can resume.
        var seenDuringFit = new List<IReadOnlyDictionary<string, Tensor>?>();
        IReadOnlyDictionary<string, Tensor>? seenAtTheEnd = null;
        var progress = new SynchronousProgress(update =>
        {
            if (update.IsFinal) seenAtTheEnd = agent.OptimizerState;
            else seenDuringFit.Add(agent.OptimizerState);
        });
        var resumed = new PpoEstimator(options).Fit(env, Budget.Steps(128), progress, initialAgent: agent);

        Assert.That(resumed, Is.SameAs(agent));
        Assert.That(seenDuringFit, Is.Not.Empty.And.All.Null);
        Assert.That(seenAtTheEnd, Is.Not.Null.And.SameAs(resumed.OptimizerState));
        Assert.That(resumed.OptimizerState, Is.Not.SameAs(first));
        Assert.That(StepCount(resumed.OptimizerState!, "network.step"), Is.EqualTo(3 * StepCount(first, "network.step")));
    }
}
