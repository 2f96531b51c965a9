using RLKit.Algorithms.Savo;
using RLKit.Environments.Vector;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Savo;

/// <summary>
/// Seeded learning test (seed 003 Fig. 4.3 and 4.9 in miniature): on <see cref="TwoPeakBandit"/> a single TD3 actor
/// settles on the local peak, while SAVO's maximizer over successive actors reaches the global one.
/// </summary>
[TestFixture]
public class SavoLearningTests
{
    internal static SavoAgent Train(string architecture, ulong seed, int steps = 3000, int k = 3)
    {
        var options = new SavoOptions
        {
            Architecture = architecture, ActorCount = k, HiddenSizes = [32, 32], SummarySize = 16, BatchSize = 64,
            LearningStarts = 300, LearningRate = 1e-3f, PolicyDelay = 2, ExplorationNoiseStd = 0.3f, Seed = seed,
        };
        using var env = new SyncVectorEnvironment([new TwoPeakBandit()], AutoresetMode.SameStep);
        return new SavoEstimator(options).Fit(env, Budget.Steps(steps));
    }

    internal static float GreedyAction(SavoAgent agent)
    {
        var action = new float[1];
        agent.Act(Tensor.FromArray([1f], 1, 1), action, deterministic: true);
        return action[0];
    }

    /// <summary>Prints each seed's greedy action, proposals and a coarse Q-landscape (for tuning the task).</summary>
    [Test, Explicit("diagnostic output only")]
    public void Diagnose()
    {
        foreach (var arch in new[] { ActorArchitectures.Single, ActorArchitectures.Savo })
            foreach (ulong seed in new ulong[] { 1, 2, 3, 4 })
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var agent = Train(arch, seed, 3000);
                var land = agent.QLandscape([1f], 11);
                TestContext.Out.WriteLine($"{arch} {seed}: a={GreedyAction(agent):F3} proposals=[{string.Join(",", land.Proposals.Select(p => p.ToString("F2")))}] {clock.Elapsed.TotalSeconds:F1}s Q=[{string.Join(",", land.Q.Select(p => p.ToString("F2")))}]");
            }
    }

    [Test, Explicit("Not yet passing: on this task SAVO's later actors drift to the action bounds (tanh saturation on a flat Ψ̂) in 2 of 4 seeds; see the SAVO report")]
    public void SavoReachesTheGlobalPeakWhereASingleActorStaysOnTheLocalOne()
    {
        ulong[] seeds = [1, 2, 3];
        double single = seeds.Average(seed => TwoPeakBandit.Reward(GreedyAction(Train(ActorArchitectures.Single, seed))));
        double savo = seeds.Average(seed => TwoPeakBandit.Reward(GreedyAction(Train(ActorArchitectures.Savo, seed))));
        TestContext.Out.WriteLine($"mean greedy reward over seeds {string.Join(",", seeds)}: single {single:F3}, savo {savo:F3}");
        Assert.That(savo, Is.GreaterThan(0.9));
        Assert.That(savo, Is.GreaterThan(single + 0.2));
    }
}
