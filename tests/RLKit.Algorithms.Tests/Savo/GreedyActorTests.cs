using RLKit.Algorithms.Common;
using RLKit.Algorithms.Savo;
using RLKit.Autograd;
using RLKit.Nn;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Algorithms.Tests.Savo;

/// <summary>The Greedy-TD3 and Greedy-AC baselines (seed 003 §4.6.1; Greedy-AC's conditional CEM update on TD3's loop).</summary>
[TestFixture]
public class GreedyActorTests
{
    private static readonly Box Box2 = new([-2f, -1f], [2f, 1f], [2]);

    private static GreedyActor Greedy(int samples = 30, float percentile = 0.1f, float entropy = 0.01f, Space? space = null, bool stochastic = false) =>
        new(ActionDomain.For(space ?? Box2, "space"), new GreedyActor.Settings(3, [16], samples, percentile, entropy, stochastic), new RandomGenerator(5));

    private static ContinuousQNetwork Critic() => new(3, 2, [16], new RandomGenerator(9));

    [TestCase(30, 0.1f, 3)]
    [TestCase(10, 0.25f, 3)]
    [TestCase(5, 0.01f, 1)]
    [TestCase(4, 1f, 4)]
    public void ElitesAreTheTopFractionOfTheSamples(int samples, float percentile, int elites) =>
        Assert.That(Greedy(samples, percentile).Elites, Is.EqualTo(elites));

    [Test]
    public void ElitesAreTheSamplesQ1RanksHighest()
    {
        var greedy = Greedy();
        var critic = Critic();
        var s = Tensor.RandomNormal(new RandomGenerator(1), [4, 3]);
        var elites = greedy.EliteActions(s, critic, new RandomGenerator(2)).ToArray();

        // The same draw by hand: N samples of π̃ in squashed units, clipped, scored in the box.
        using var noGrad = GradMode.NoGrad();
        var proposal = greedy.Proposal(s);
        var squashed = (proposal.Mean.Unsqueeze(0) + proposal.Std.Unsqueeze(0) * Tensor.RandomNormal(new RandomGenerator(2), [30, 4, 2])).Clamp(-1f, 1f);
        var inBox = squashed * Tensor.FromArray([2f, 1f], 2);
        var values = Maximizer.Values(critic, s, inBox).ToArray();
        var x = squashed.ToArray();
        for (int b = 0; b < 4; b++)
        {
            var ranked = Enumerable.Range(0, 30).OrderByDescending(i => values[i * 4 + b]).Take(3).ToArray();
            for (int j = 0; j < 3; j++)
                Assert.That(elites.AsSpan((j * 4 + b) * 2, 2).ToArray(), Is.EqualTo(x.AsSpan((ranked[j] * 4 + b) * 2, 2).ToArray()).Within(1e-5f),
                            $"state {b}, elite {j}");
        }
    }

    [Test]
    public void ActsWithTheActorAloneAndItsLossTrainsActorAndProposalButNotTheCritic()
    {
        var greedy = Greedy();
        var critic = Critic();
        var s = Tensor.RandomNormal(new RandomGenerator(3), [5, 3]);
        Assert.That(greedy.CandidateCount, Is.EqualTo(1));
        using (GradMode.NoGrad())
        {
            var candidates = greedy.Candidates(new CandidateRequest(s, default, null, critic, new RandomGenerator(4))).ToArray();
            var actor = (greedy.SquashedAction(s) * Tensor.FromArray([2f, 1f], 2)).ToArray();
            Assert.That(candidates, Is.EqualTo(actor).Within(1e-6f));
        }
        greedy.ZeroGrad();
        critic.ZeroGrad();
        greedy.ActorLoss(new UpdateInputs(s, Tensor.Zeros(5, 2), critic, critic, new RandomGenerator(6)))!.Backward();
        foreach (var prefix in new[] { "actor.", "proposal." })
            Assert.That(greedy.NamedParameters().Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Any(p => p.Value.Grad?.ToArray().Any(v => v != 0f) == true),
                        $"{prefix} gets a gradient");
        Assert.That(critic.Parameters().All(p => p.Grad is null || p.Grad.ToArray().All(v => v == 0f)), "the critic is only read");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ActorAndProposalMoveTowardsTheBestSamples(bool stochastic)
    {
        // A critic fitted to Q(s, a) = −‖a/scale − (1, 1)‖² (best action: the top corner of the box); repeated CCEM steps
        // then carry μ(s) and π̃'s mean towards that corner.
        var critic = Critic();
        var rng = new RandomGenerator(7);
        var fit = new RLKit.Optim.Adam(critic.Parameters(), 1e-2f);
        for (int step = 0; step < 400; step++)
        {
            using var scope = TensorScope.Begin();
            var states = Tensor.RandomNormal(rng, [64, 3]);
            var squashed = Tensor.RandomUniform(rng, [64, 2], -1f, 1f);
            var target = -(squashed - 1f).Square().Sum(1);
            fit.ZeroGrad();
            Functional.MseLoss(critic.Forward(states, squashed * Tensor.FromArray([2f, 1f], 2)), target).Backward();
            fit.Step();
        }
        var greedy = Greedy(entropy: 0f, stochastic: stochastic);
        var s = Tensor.RandomNormal(new RandomGenerator(8), [16, 3]);
        (float Actor, float Proposal) Distances()
        {
            using var noGrad = GradMode.NoGrad();
            var corner = Tensor.FromArray([1f, 1f], 1, 2);
            return ((greedy.SquashedAction(s) - corner).Square().Mean().Item(), (greedy.Proposal(s).Mean - corner).Square().Mean().Item());
        }
        var before = Distances();
        var optimizer = new RLKit.Optim.Adam(greedy.Parameters(), 3e-3f);
        for (int step = 0; step < 150; step++)
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            greedy.ActorLoss(new UpdateInputs(s, Tensor.Zeros(16, 2), critic, critic, rng))!.Backward();
            optimizer.Step();
        }
        var after = Distances();
        Assert.That(after.Actor, Is.LessThan(before.Actor * 0.25f), $"actor: before {before.Actor}");
        Assert.That(after.Proposal, Is.LessThan(before.Proposal * 0.5f), $"proposal: before {before.Proposal}");
    }

    [Test]
    public void GreedyAcExploresBySamplingItsPolicyAndOtherwiseActsWithItsMean()
    {
        var greedy = Greedy(stochastic: true);
        var critic = Critic();
        var s = Tensor.RandomNormal(new RandomGenerator(3), [64, 3]);
        using var noGrad = GradMode.NoGrad();
        var mean = (greedy.Policy(s).Mean * Tensor.FromArray([2f, 1f], 2)).ToArray();
        var deterministic = greedy.Candidates(new CandidateRequest(s, default, null, critic, new RandomGenerator(4))).ToArray();
        Assert.That(deterministic, Is.EqualTo(mean).Within(1e-6f), "without exploration: π's mean");

        // The request's noise is zeros: any spread comes from sampling π itself, whose initial std is about e^0 = 1 half-range.
        var zeros = new float[64 * 2];
        var explored = greedy.Candidates(new CandidateRequest(s, default, zeros, critic, new RandomGenerator(4))).ToArray();
        var offsets = explored.Zip(mean, (a, m) => a - m).ToArray();
        Assert.That(offsets.Select(MathF.Abs).Average(), Is.GreaterThan(0.1f), "exploring: a sample of π, not its mean");
        for (int i = 0; i < explored.Length; i++)
            Assert.That(MathF.Abs(explored[i]), Is.LessThanOrEqualTo(i % 2 == 0 ? 2f : 1f), "samples stay in the box");
        Assert.Throws<InvalidOperationException>(() => Greedy().Policy(s), "Greedy-TD3 has no stochastic policy");
    }

    [Test]
    public void GreedyAcRunsWithoutPolicyDelayOrTargetSmoothing()
    {
        var td3 = new RLKit.Algorithms.Td3.Td3Estimator(new RLKit.Algorithms.Td3.Td3Options { PolicyDelay = 2, TargetPolicySmoothing = true });
        var greedyAc = td3.WithActorArchitecture(ActorArchitectures.GreedyAc).Options;
        var greedyTd3 = td3.WithActorArchitecture(ActorArchitectures.Greedy).Options;
        Assert.That((greedyAc.PolicyDelay, greedyAc.TargetPolicySmoothing), Is.EqualTo((1, false)));
        Assert.That((greedyTd3.PolicyDelay, greedyTd3.TargetPolicySmoothing), Is.EqualTo((2, true)), "Greedy-TD3 keeps TD3's settings");
        Assert.That(greedyAc.CandidateCount, Is.EqualTo(1));
    }

    [Test]
    public void DiscreteElitesAreRealActions()
    {
        var items = new ActionSet(4, 2, [0f, 0f, 1f, 0f, 0f, 1f, 1f, 1f]);
        var greedy = Greedy(space: items);
        var elites = greedy.EliteActions(Tensor.RandomNormal(new RandomGenerator(9), [3, 3]), Critic(), new RandomGenerator(10));
        // Representations span [0, 1]² so squashed real actions are the corners of [−1, 1]².
        Assert.That(elites.ToArray().All(v => MathF.Abs(MathF.Abs(v) - 1f) < 1e-5f));
    }

    [TestCase(nameof(SavoOptions.GreedySamples))]
    [TestCase(nameof(SavoOptions.GreedyPercentile))]
    [TestCase(nameof(SavoOptions.GreedyEntropy))]
    public void BadGreedyOptionsAreRefused(string option)
    {
        var options = option switch
        {
            nameof(SavoOptions.GreedySamples) => new SavoOptions { Architecture = "greedy", GreedySamples = 0 },
            nameof(SavoOptions.GreedyPercentile) => new SavoOptions { Architecture = "greedy", GreedyPercentile = 1.5f },
            _ => new SavoOptions { Architecture = "greedy", GreedyEntropy = -1f },
        };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SavoEstimator(options))!;
        Assert.That(error.ParamName, Is.EqualTo(option));
    }
}
