using System.Diagnostics;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.Ppo;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests.Ppo;

[TestFixture]
public sealed class PpoLearningTests
{
    private static readonly EnvironmentCatalog Catalog = StandardEnvironments.CreateCatalog();

    /// <summary>Runs greedy episodes with agent.Act on a fresh environment and returns the mean return.</summary>
    internal static double GreedyMeanReturn(IAgent agent, string id, int episodes, ulong seed)
    {
        var env = Catalog.Make(id);
        int size = env.ObservationSpace.FlatSize;
        var observation = Tensor.Zeros(1, size);
        Span<int> action = stackalloc int[1];
        double total = 0;
        for (int episode = 0; episode < episodes; episode++)
        {
            env.Reset(seed + (ulong)episode).Observation.CopyTo(observation.AsSpan());
            while (true)
            {
                agent.Act(observation, action, deterministic: true);
                var step = env.Step(action[0]);
                total += step.Reward;
                if (step.Done) break;
                step.Observation.CopyTo(observation.AsSpan());
            }
        }
        (env as IDisposable)?.Dispose();
        return total / episodes;
    }

    private static SyncVectorEnvironment CartPoles(int count) =>
        new(Enumerable.Range(0, count).Select(_ => Catalog.Make("CartPole-v1")).ToArray(), AutoresetMode.SameStep);

    [Test]
    public void PpoSolvesCartPoleGreedily()
    {
        // RL-Zoo's tuned CartPole set on 8 environments, with a reduced budget.
        using var env = CartPoles(8);
        var estimator = new PpoEstimator(PpoOptions.CartPole with { Seed = 1 });
        var updates = new List<TrainingUpdate>();
        var clock = Stopwatch.StartNew();
        var agent = estimator.Fit(env, Budget.Steps(50_000), new SynchronousProgress(updates.Add));
        clock.Stop();

        double before = updates.First(u => u.MeanReturn is not null).MeanReturn!.Value;
        double greedy = GreedyMeanReturn(agent, "CartPole-v1", episodes: 10, seed: 1000);
        TestContext.Out.WriteLine($"PPO CartPole: {updates[^1].Steps} steps in {clock.Elapsed.TotalSeconds:0.00} s, first mean return {before:0.0}, greedy mean {greedy:0.0}");
        Assert.That(updates.Where(u => !u.IsFinal).Select(u => u.Losses.Keys.ToHashSet()),
                    Has.All.SupersetOf(new[] { "policy", "value", "entropy", "approx_kl", "clip_fraction" }));
        Assert.That(greedy, Is.GreaterThanOrEqualTo(195), "greedy evaluation after training");
    }

    [Test]
    public void ALinearClipRangeScheduleShrinksTheClipRangeOverTheBudget()
    {
        // Four rollouts of 512 rows, 20 epochs each: late in the budget the decayed range (0.2 · (1 − progress)) is
        // much tighter than 0.2, so far more of the ratios fall outside it.
        double LastClipFraction(bool decay)
        {
            using var env = CartPoles(8);
            var updates = new List<TrainingUpdate>();
            new PpoEstimator(PpoOptions.CartPole with { Seed = 2, LinearLearningRateDecay = false, LinearClipRangeDecay = decay })
                .Fit(env, Budget.Steps(4 * 8 * 32), new SynchronousProgress(updates.Add));
            return updates.Last(u => !u.IsFinal).Losses["clip_fraction"];
        }

        double constant = LastClipFraction(decay: false), decayed = LastClipFraction(decay: true);
        TestContext.Out.WriteLine($"last update's clip fraction: constant {constant:0.000}, decayed {decayed:0.000}");
        Assert.That(decayed, Is.GreaterThan(constant + 0.05));
    }

    [Test]
    public void CheckpointRoundTripGivesIdenticalActions()
    {
        using var env = CartPoles(2);
        var agent = new PpoEstimator(PpoOptions.CartPole with { Seed = 3, StepsPerEnvironment = 16, MinibatchSize = 32, Epochs = 2 })
            .Fit(env, Budget.Steps(64));
        string path = Path.Combine(Path.GetTempPath(), $"ppo-{Guid.NewGuid():N}.rlkit");
        try
        {
            Checkpoint.Save(agent, path);
            var loaded = (PpoAgent)Checkpoint.LoadAgent(path);
            var observations = Tensor.RandomNormal(new RandomGenerator(4), [32, 4]);
            var expected = new int[32];
            var actual = new int[32];
            agent.Act(observations, expected, deterministic: true);
            loaded.Act(observations, actual, deterministic: true);
            Assert.That(actual, Is.EqualTo(expected));
            Assert.That(loaded.Options, Is.EqualTo(agent.Options).Using<PpoOptions>((a, b) => a.Seed == b.Seed && a.Epochs == b.Epochs));
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*")) File.Delete(file);
            if (File.Exists(path)) File.Delete(path);
        }
    }

    [Test]
    public void PendulumRunsWithContinuousActionsInTheBox()
    {
        // Continuous path: a short run must produce finite losses and actions inside [−2, 2].
        using var env = new SyncVectorEnvironment([Catalog.Make("Pendulum-v1"), Catalog.Make("Pendulum-v1")], AutoresetMode.SameStep);
        var updates = new List<TrainingUpdate>();
        var agent = new PpoEstimator(new PpoOptions { StepsPerEnvironment = 64, MinibatchSize = 32, Epochs = 2, ValueClipRange = 0.2f, TargetKl = 0.05f })
            .Fit(env, Budget.Steps(512), new SynchronousProgress(updates.Add));
        Assert.That(updates.Where(u => !u.IsFinal).SelectMany(u => u.Losses.Values), Has.All.Matches<double>(double.IsFinite));
        var actions = new float[16];
        agent.Act(Tensor.RandomNormal(new RandomGenerator(5), [16, 3]) * 10f, actions, deterministic: false);
        Assert.That(actions, Has.All.InRange(-2f, 2f));
    }

    [Test]
    public void ActionSetRolloutsOnlyTakeAvailableActions()
    {
        // DigLavaGrid offers 7 of its 9 skills per episode and rejects the others, so a run that completes never
        // sampled a masked action, in the rollout or (for the log-probabilities) in the minibatches.
        using var env = new SyncVectorEnvironment([Catalog.Make("DigLavaGrid-v0"), Catalog.Make("DigLavaGrid-v0")], AutoresetMode.SameStep);
        Assert.That(env.ActionMasks.ToArray(), Does.Contain(false), "the environment must mask some actions for this test to mean anything");
        var updates = new List<TrainingUpdate>();
        var agent = new PpoEstimator(new PpoOptions { StepsPerEnvironment = 64, MinibatchSize = 32, Epochs = 2, EntropyCoefficient = 0.01f })
            .Fit(env, Budget.Steps(1024), new SynchronousProgress(updates.Add));
        Assert.That(agent.Network.Head, Is.TypeOf<MaskedCategoricalHead>());
        Assert.That(updates.Count(u => !u.IsFinal), Is.EqualTo(8));
        Assert.That(updates.Where(u => !u.IsFinal).SelectMany(u => u.Losses.Values), Has.All.Matches<double>(double.IsFinite));
    }

    [Test]
    public void CancellationStopsPromptlyAndLeavesAUsableAgent()
    {
        using var env = CartPoles(4);
        using var cts = new CancellationTokenSource();
        var agent = new PpoEstimator(PpoOptions.CartPole).Fit(env, Budget.Steps(10_000_000),
            new SynchronousProgress(u => { if (u.Updates >= 2) cts.Cancel(); }), cts.Token);
        var actions = new int[3];
        agent.Act(Tensor.Zeros(3, 4), actions, deterministic: true);
        Assert.That(actions, Has.All.InRange(0, 1));
    }
}
