using RLKit.Algorithms.Common;
using RLKit.Algorithms.Savo;
using RLKit.Environments.Vector;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.Savo;

/// <summary>
/// Seeded learning tests (seed 003 Fig. 4.3 and 4.9 in miniature) on <see cref="TwoPeakBandit"/>, a one-state task whose
/// Q over a one-dimensional action is the reward itself: a broad local peak next to where the actors start and a
/// higher global peak behind a valley.
/// </summary>
[TestFixture]
public class SavoLearningTests
{
    /// <summary>
    /// Small networks, Gaussian noise: with a one-step episode the Ornstein–Uhlenbeck process restarts every step, so its
    /// first increment σ√dt (3% of the range here) is all the exploration it would give.
    /// </summary>
    internal static SavoAgent Train(TwoPeakBandit bandit, string architecture, ulong seed, int steps = 2500)
    {
        var options = new SavoOptions
        {
            Architecture = architecture, ActorCount = 3, HiddenSizes = [32, 32], SummarySize = 16, BatchSize = 64,
            LearningStarts = 300, LearningRate = 1e-3f, PolicyDelay = 2, ExplorationNoise = ExplorationNoiseKind.Gaussian,
            ExplorationNoiseStd = 0.3f, Seed = seed,
        };
        using var env = new SyncVectorEnvironment([bandit], AutoresetMode.SameStep);
        return new SavoEstimator(options).Fit(env, Budget.Steps(steps));
    }

    internal static float GreedyAction(SavoAgent agent)
    {
        var action = new float[1];
        agent.Act(Tensor.FromArray([1f], 1, 1), action, deterministic: true);
        return action[0];
    }

    /// <summary>
    /// Global peak at 0.6 (reward 1, σ 0.15) behind a valley from the local one at −0.3 (reward 0.6). SAVO reaches it
    /// from all six seeds; the single actor (TD3's architecture on the same loop) from five, and seed 4 ends on the local
    /// peak (−0.297, reward 0.600). The margin is one seed in six, which is what this broad case gives; the narrow case
    /// below, where the thesis expects a wide gap, does not show one.
    /// </summary>
    [Test]
    public void SavoReachesTheGlobalPeakFromEverySeedAndASingleActorDoesNot()
    {
        var bandit = new TwoPeakBandit(localPeak: -0.3, localWidth: 0.35, globalPeak: 0.6, globalWidth: 0.15);
        bool ReachesGlobalPeak(string architecture, ulong seed)
        {
            float action = GreedyAction(Train(bandit, architecture, seed));
            TestContext.Out.WriteLine($"{architecture} seed {seed}: greedy action {action:F3}, reward {bandit.Reward(action):F3}");
            return bandit.Reward(action) > 0.95;
        }
        ulong[] seeds = [1, 2, 3, 4, 5, 6];
        var savoMisses = seeds.Where(seed => !ReachesGlobalPeak(ActorArchitectures.Savo, seed)).ToList();
        Assert.That(savoMisses, Is.Empty, "SAVO seeds that end off the global peak");
        var singleMisses = seeds.Where(seed => !ReachesGlobalPeak(ActorArchitectures.Single, seed)).ToList();
        Assert.That(singleMisses, Is.Not.Empty, "the single actor ends on the global peak from every seed: SAVO does not beat it here");
        foreach (var architecture in new[] { ActorArchitectures.Greedy, ActorArchitectures.GreedyAc })
            Assert.That(ReachesGlobalPeak(architecture, 1), architecture);
    }

    /// <summary>
    /// The comparison: on a narrow global peak (0.8, σ 0.08) behind a broad local one (−0.2, σ 0.4), SAVO's
    /// maximizer should find it where a single actor stays on the local one. Measured with this code (seeds 1–6, 8000
    /// steps): the single actor ends on the global peak in 3 of 6 seeds, SAVO in 2 of 6 — once through ν_0 and once
    /// through ν_2 (a_0 stuck at −0.25, a_2 = 0.82: the mechanism working as Fig. 4.9 draws it). In the other seeds ν_1
    /// and ν_2 sit at ±1. Traces of Q and Ψ̂_i over training show why: the critic learns the narrow peak late (its
    /// samples come from noisy proposals landing on it), and Ψ̂_i, fitted at two points per state that mostly lie where
    /// Ψ_i = Q(a_0), stays within a few hundredths of that level everywhere, with at best a gentle slope towards the
    /// bound beyond the peak; Adam turns that slope into full-size steps, the later actors run into tanh saturation at
    /// the bound, and once there their gradient is too small to bring them back within the budget. Kept explicit rather
    /// than weakened until it passes.
    /// </summary>
    [Test, Explicit("Fails as measured (SAVO 2 of 6 seeds, single actor 3 of 6; see the summary); about two minutes")]
    public void SavoReachesTheNarrowGlobalPeakWhereASingleActorStaysOnTheLocalOne()
    {
        var bandit = new TwoPeakBandit(localPeak: -0.2, localWidth: 0.4, globalPeak: 0.8, globalWidth: 0.08);
        ulong[] seeds = [1, 2, 3, 4, 5, 6];
        int Found(string architecture) => seeds.Count(seed =>
        {
            float action = GreedyAction(Train(bandit, architecture, seed, steps: 8000));
            TestContext.Out.WriteLine($"{architecture} seed {seed}: greedy action {action:F3}, reward {bandit.Reward(action):F3}");
            return bandit.Reward(action) > 0.95;
        });
        int single = Found(ActorArchitectures.Single), savo = Found(ActorArchitectures.Savo);
        Assert.That(savo, Is.GreaterThanOrEqualTo(5), "SAVO on the global peak");
        Assert.That(single, Is.LessThanOrEqualTo(2), "single actor on the global peak");
    }
}
