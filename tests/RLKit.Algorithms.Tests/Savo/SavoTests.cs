using RLKit.Algorithms.Common;
using RLKit.Algorithms.Savo;
using RLKit.Algorithms.Td3;
using RLKit.Autograd;
using RLKit.Environments.Vector;
using RLKit.Nn;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests.Savo;

/// <summary>SAVO's equations (seed 003 eq. 4.5–4.9), its modules, its discrete mode, checkpoints and options.</summary>
[TestFixture]
public class SavoTests
{
    private static readonly Box UnitBox = new([-1f, -1f], [1f, 1f], [2]);

    private static SuccessiveActors Savo(int k = 3, int summary = 8, bool learned = true, Space? space = null, int observationSize = 3) =>
        new(ActionDomain.For(space ?? UnitBox, "space"), new SuccessiveActors.Settings(observationSize, [16], k, summary, learned), new RandomGenerator(5));

    private static ContinuousQNetwork Critic(int observationSize = 3, int actionSize = 2, ulong seed = 9) =>
        new(observationSize, actionSize, [16], new RandomGenerator(seed));

    [Test]
    public void MaximizerPicksTheHighestValuedProposal()
    {
        // Q(s, a) = −(a − 0.5)² summed over dimensions: a hand-built critic as values [k, B].
        var candidates = Tensor.FromArray([0f, 0f, 0.4f, 0.6f, 1f, 1f, /* b=1 */ -1f, -1f, 0.5f, 0.5f, 0.9f, 0.1f], 2, 3, 2).Permute(1, 0, 2);
        var a = candidates.ToArray();
        var values = new float[6];
        for (int row = 0; row < 6; row++) values[row] = -(MathF.Pow(a[2 * row] - 0.5f, 2) + MathF.Pow(a[2 * row + 1] - 0.5f, 2));
        var chosen = new int[2];
        Maximizer.Argmax(Tensor.FromArray(values, 3, 2), chosen);
        Assert.That(chosen, Is.EqualTo(new[] { 1, 1 }));
        var picked = Maximizer.Gather(candidates, chosen).ToArray();
        Assert.That(picked, Is.EqualTo(new[] { 0.4f, 0.6f, 0.5f, 0.5f }));
    }

    [Test]
    public void MaximizerSelectScoresEveryCandidateWithTheCritic()
    {
        var critic = Critic();
        var s = Tensor.RandomNormal(new RandomGenerator(1), [4, 3]);
        var candidates = Tensor.RandomUniform(new RandomGenerator(2), [3, 4, 2], -1f, 1f);
        var chosen = new int[4];
        var action = Maximizer.Select(critic, s, candidates, chosen).ToArray();
        using var noGrad = GradMode.NoGrad();
        for (int b = 0; b < 4; b++)
        {
            var q = Enumerable.Range(0, 3).Select(i => critic.Forward(s.Narrow(0, b, 1), candidates.Narrow(0, i, 1).Reshape(4, 2).Narrow(0, b, 1)).Item()).ToArray();
            Assert.That(q[chosen[b]], Is.EqualTo(q.Max()));
            Assert.That(action.AsSpan(2 * b, 2).ToArray(), Is.EqualTo(candidates.Narrow(0, chosen[b], 1).Reshape(4, 2).Narrow(0, b, 1).ToArray()));
        }
    }

    [Test]
    public void PsiIsTheStatedMaximumAndNeverBelowQ()
    {
        var rng = new RandomGenerator(3);
        var q = Tensor.RandomNormal(rng, [64]);
        var threshold = Tensor.RandomNormal(rng, [64]);
        var psi = SavoObjectives.Psi(q, threshold).ToArray();
        var qv = q.ToArray();
        var tv = threshold.ToArray();
        for (int i = 0; i < 64; i++)
        {
            Assert.That(psi[i], Is.EqualTo(Math.Max(qv[i], tv[i])));
            Assert.That(psi[i], Is.GreaterThanOrEqualTo(qv[i]));
        }
    }

    [Test]
    public void SurrogateLossUsesExactlyTheExecutedActionAndTheProposal()
    {
        var executed = Tensor.FromArray([0.1f, 0.2f, 0.3f, 0.4f], 2, 2);
        var proposal = Tensor.FromArray([-0.5f, 0.5f, 0.7f, -0.7f], 2, 2);
        var seen = new List<float[]>();
        // Ψ̂ ≡ 0, so the loss is mean(Ψ(executed)²) + mean(Ψ(proposal)²).
        var loss = SavoObjectives.SurrogateFitLoss(a => { seen.Add(a.ToArray()); return Tensor.Zeros(a.Dim(0)); }, executed, proposal,
            qExecuted: Tensor.FromArray([1f, -2f], 2), qProposal: Tensor.FromArray([3f, -1f], 2), threshold: Tensor.FromArray([0f, 0f], 2));
        // One batched call on exactly the two points: the executed actions, then the proposals.
        Assert.That(seen, Has.Count.EqualTo(1));
        Assert.That(seen[0], Is.EqualTo(executed.ToArray().Concat(proposal.ToArray()).ToArray()));
        // Targets max(Q, τ): executed (1, 0), proposal (3, 0).
        Assert.That(loss.Item(), Is.EqualTo((1f + 0f) / 2 + (9f + 0f) / 2).Within(1e-5));
    }

    [Test]
    public void EachActorLossReachesItsOwnActorOnly()
    {
        var savo = Savo();
        var s = Tensor.RandomNormal(new RandomGenerator(4), [5, 3]);
        var (_, chain) = savo.Chain(s, default);
        for (int i = 0; i < 3; i++)
        {
            savo.ZeroGrad();
            var previous = i == 0 ? null : chain.Narrow(0, 0, i).Permute(1, 0, 2);
            var action = savo.Actor(i, s, previous);
            var objective = i == 0 ? action.Sum() : savo.Surrogate(i, s, action, previous!);
            objective.Sum().Backward();
            foreach (var (name, parameter) in savo.NamedParameters().Where(p => p.Key.StartsWith("actor", StringComparison.Ordinal)))
            {
                bool own = name.StartsWith($"actor{i}.", StringComparison.Ordinal);
                bool touched = parameter.Grad is { } g && g.ToArray().Any(v => v != 0f);
                Assert.That(touched, Is.EqualTo(own), $"loss of ν_{i} and parameter {name}");
            }
        }
    }

    [Test]
    public void ActorLossLeavesEarlierActorsAndSurrogatesAsTheyAreWhenStepped()
    {
        // The training loop steps actors and surrogates with separate optimizers; the summed actor loss has a gradient
        // for every actor, and the surrogates' gradients from it are cleared before the surrogate step (ZeroGrad).
        var savo = Savo();
        var inputs = new UpdateInputs(Tensor.RandomNormal(new RandomGenerator(6), [5, 3]), Tensor.RandomUniform(new RandomGenerator(7), [5, 2], -1f, 1f),
                                      Critic(), Critic(seed: 10), new RandomGenerator(8));
        savo.ZeroGrad();
        savo.ActorLoss(inputs)!.Backward();
        for (int i = 0; i < 3; i++)
            Assert.That(savo.NamedParameters().Where(p => p.Key.StartsWith($"actor{i}.", StringComparison.Ordinal)).Any(p => p.Value.Grad?.ToArray().Any(v => v != 0f) == true),
                        $"ν_{i} gets a gradient from the actor loss");
    }

    [Test]
    public void TheActorStepReusesTheSurrogateStepsChainWithTheSameResult()
    {
        var savo = Savo();
        var (s, executed) = (Tensor.RandomNormal(new RandomGenerator(6), [5, 3]), Tensor.RandomUniform(new RandomGenerator(7), [5, 2], -1f, 1f));
        var (q1, q2) = (Critic(), Critic(seed: 10));
        var shared = new UpdateInputs(s, executed, q1, q2, new RandomGenerator(8));
        Assert.That(savo.SurrogateLoss(shared), Is.Not.Null);
        float reused = savo.ActorLoss(shared)!.Item();
        float fresh = savo.ActorLoss(new UpdateInputs(s, executed, q1, q2, new RandomGenerator(8)))!.Item();
        Assert.That(reused, Is.EqualTo(fresh).Within(1e-6f));
        // Its gradient still reaches every actor through the chain kept from the surrogate step.
        savo.ZeroGrad();
        savo.SurrogateLoss(shared);
        savo.ActorLoss(shared)!.Backward();
        for (int i = 0; i < 3; i++)
            Assert.That(savo.NamedParameters().Where(p => p.Key.StartsWith($"actor{i}.", StringComparison.Ordinal)).Any(p => p.Value.Grad?.ToArray().Any(v => v != 0f) == true), $"ν_{i}");
    }

    [Test]
    public void ConditioningIsPermutationInvariantInThePreviousActions()
    {
        var network = new PreviousActionNetwork(3, 3, 2, [16], 2, 8, Activation.Tanh, new RandomGenerator(11));
        var s = Tensor.RandomNormal(new RandomGenerator(12), [4, 3]);
        var previous = Tensor.RandomUniform(new RandomGenerator(13), [4, 3, 2], -1f, 1f);
        using var noGrad = GradMode.NoGrad();
        var forward = network.Forward(s, s, previous).ToArray();
        var permuted = network.Forward(s, s, previous.IndexSelect(1, [2, 0, 1])).ToArray();
        Assert.That(permuted, Is.EqualTo(forward).Within(1e-5f));
        var changed = network.Forward(s, s, previous.Narrow(1, 0, 2)).ToArray();
        Assert.That(changed, Is.Not.EqualTo(forward), "the previous actions do change the output");
    }

    [Test]
    public void WithoutSmoothingTheTargetIsTheMaximizersAction()
    {
        var savo = Savo();
        var critic = Critic();
        var next = Tensor.RandomNormal(new RandomGenerator(14), [6, 3]);
        var (actions, values) = SavoTraining.TargetActions(savo, critic, next, smoothing: null, new RandomGenerator(15));
        var target = actions.ToArray();
        var candidates = savo.Candidates(new CandidateRequest(next, default, null, critic, new RandomGenerator(16)));
        var expected = Maximizer.Select(critic, next, candidates, new int[6]).ToArray();
        Assert.That(target, Is.EqualTo(expected));
        using (GradMode.NoGrad())
            Assert.That(values!.ToArray(), Is.EqualTo(critic.Forward(next, actions).ToArray()).Within(1e-5f), "Q1′ at ã comes with it");
        var smoothed = SavoTraining.TargetActions(savo, critic, next, smoothing: (0.2f, 0.5f), new RandomGenerator(15)).Actions.ToArray();
        Assert.That(smoothed, Is.Not.EqualTo(expected), "TD3's smoothing (the ablation) moves the target action");
    }

    private static ActionSet Items() =>
        new(5, 2, [0f, 0f, 1f, 0f, 0f, 1f, 1f, 1f, -1f, -1f]);

    [Test]
    public void NearestNeighbourProjectionReturnsRealAvailableActions()
    {
        var domain = ActionDomain.For(Items(), "space");
        var points = Tensor.FromArray([0.9f, 0.2f, 0.6f, 0.7f, -0.7f, -0.6f], 3, 2);
        var ids = new int[3];
        var projected = domain.Project(points, 3, default, ids).ToArray();
        Assert.That(ids, Is.EqualTo(new[] { 1, 3, 4 }));
        Assert.That(projected, Is.EqualTo(new[] { 1f, 0f, 1f, 1f, -1f, -1f }));
        // With action 3 unavailable for row 1, its nearest available action is taken instead.
        var availability = Enumerable.Repeat(true, 15).ToArray();
        availability[5 + 3] = false;
        domain.Project(points, 3, availability, ids);
        Assert.That(ids[1], Is.AnyOf(1, 2));
        var k = new int[3 * 2];
        domain.Nearest(points, 3, default, k, 2);
        Assert.That(k.AsSpan(0, 2).ToArray(), Is.EqualTo(new[] { 1, 3 }));
    }

    [Test]
    public void NearestActionsMatchABruteForceSearchOverManyItems()
    {
        const int items = 700, size = 5, rows = 9, k = 3;
        var rng = new RandomGenerator(21);
        var representations = new float[items * size];
        rng.FillNormal(representations, 0f, 1f);
        var domain = ActionDomain.For(new ActionSet(items, size, representations), "space");
        var pointValues = new float[rows * size];
        rng.FillNormal(pointValues, 0f, 1f);
        var availability = new bool[3 * items];
        for (int i = 0; i < availability.Length; i++) availability[i] = i % 7 != 0;

        var nearest = new int[rows * k];
        domain.Nearest(Tensor.FromArray(pointValues, rows, size), 3, availability, nearest, k);
        var single = new int[rows];
        domain.Nearest(Tensor.FromArray(pointValues, rows, size), rows, default, single, 1);

        for (int r = 0; r < rows; r++)
        {
            var byDistance = Enumerable.Range(0, items)
                .Select(a => (Id: a, Distance: Enumerable.Range(0, size).Sum(d => Math.Pow(pointValues[r * size + d] - representations[a * size + d], 2))))
                .OrderBy(x => x.Distance).ToList();
            Assert.That(single[r], Is.EqualTo(byDistance[0].Id), $"row {r}, every action available");
            var expected = byDistance.Where(x => availability[r % 3 * items + x.Id]).Take(k).Select(x => x.Id);
            Assert.That(nearest.AsSpan(r * k, k).ToArray(), Is.EqualTo(expected), $"row {r}, row {r % 3} of the availability");
        }
    }

    [Test]
    public void NearestActionsBreakTiesByTheLowestIdAndRejectNonFiniteProposals()
    {
        // Actions 1 and 2 are the same point: the lower id wins, for k = 1 and for the k-NN order.
        var domain = ActionDomain.For(new ActionSet(4, 1, [0f, 1f, 1f, 3f]), "space");
        var ids = new int[2];
        domain.Nearest(Tensor.FromArray([0.9f], 1, 1), 1, default, ids.AsSpan(0, 1), 1);
        Assert.That(ids[0], Is.EqualTo(1));
        domain.Nearest(Tensor.FromArray([1.2f], 1, 1), 1, default, ids, 2);
        Assert.That(ids, Is.EqualTo(new[] { 1, 2 }));

        var error = Assert.Throws<InvalidOperationException>(() => domain.Nearest(Tensor.FromArray([float.NaN], 1, 1), 1, default, ids.AsSpan(0, 1), 1));
        Assert.That(error!.Message, Does.Contain("not finite"));
        var none = Assert.Throws<InvalidOperationException>(() => domain.Nearest(Tensor.FromArray([0.5f], 1, 1), 1, new bool[4], ids.AsSpan(0, 1), 1));
        Assert.That(none!.Message, Does.Contain("no available action"));
    }

    [Test]
    public void DiscreteModeNeedsRepresentations()
    {
        var error = Assert.Throws<ArgumentException>(() => ActionDomain.For(new ActionSet(4, 0, []), "environment"))!;
        Assert.That(error.ParamName, Is.EqualTo("environment"));
        Assert.That(error.Message, Does.Contain("RepresentationSize ≥ 1"));
        var discrete = Assert.Throws<ArgumentException>(() => ActionDomain.For(new Discrete(4), "environment"))!;
        Assert.That(discrete.Message, Does.Contain("ActionSet with action representations"));
    }

    [TestCase(0)]
    [TestCase(SavoOptions.MaxActorCount + 1)]
    public void ActorCountOutOfRangeIsRefused(int k)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SavoEstimator(new SavoOptions { ActorCount = k }))!;
        Assert.That(error.ParamName, Is.EqualTo(nameof(SavoOptions.ActorCount)));
        Assert.That(error.Message, Does.Contain("SavoOptions.ActorCount must be in [1, 32]"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Td3Estimator().WithSuccessiveActors(k));
    }

    [Test]
    public void UnknownArchitectureAndBadCemSettingsAreRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Td3Estimator().WithActorArchitecture("tabu"))!;
        Assert.That(error.ParamName, Is.EqualTo(nameof(SavoOptions.Architecture)));
        Assert.That(error.Message, Does.Contain("savo, single, wolpertinger, ensemble, cem, greedy, greedy-ac, joint"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SavoEstimator(new SavoOptions { CemElites = 100, CemPopulation = 10 }));
    }

    [Test]
    public void FitOnASpaceWithoutRepresentationsNamesTheEnvironment()
    {
        using var env = LearningEvaluation.MakeVector("CartPole-v1", 1);
        var error = Assert.Throws<ArgumentException>(() => new SavoEstimator(new SavoOptions { HiddenSizes = [8] }).Fit(env, Budget.Steps(10)))!;
        Assert.That(error.ParamName, Is.EqualTo("environment"));
    }

    [Test]
    public void WithSuccessiveActorsCarriesTd3SettingsOverAndDropsTargetSmoothing()
    {
        var td3 = new Td3Estimator(new Td3Options { Gamma = 0.9f, BatchSize = 32, HiddenSizes = [8], Seed = 4 });
        var savo = td3.WithSuccessiveActors(k: 5);
        Assert.That(savo.Options.ActorCount, Is.EqualTo(5));
        Assert.That(savo.Options.Architecture, Is.EqualTo("savo"));
        Assert.That(savo.Options.TargetPolicySmoothing, Is.False);
        Assert.That((savo.Options.Gamma, savo.Options.BatchSize, savo.Options.Seed), Is.EqualTo((0.9f, 32, 4UL)));
        Assert.That(savo.Options.HiddenSizes, Is.EqualTo(new[] { 8 }));
        Assert.That(td3.WithActorArchitecture("wolpertinger").Options.TargetPolicySmoothing, Is.True, "baselines keep TD3's smoothing");
        Assert.That(td3.WithSuccessiveActors(3, o => o with { TargetPolicySmoothing = true }).Options.TargetPolicySmoothing, Is.True);
    }

    [TestCase("savo")]
    [TestCase("single")]
    [TestCase("wolpertinger")]
    [TestCase("ensemble")]
    [TestCase("cem")]
    [TestCase("greedy")]
    [TestCase("joint")]
    public void EveryArchitectureTrainsAndRoundTripsThroughACheckpoint(string architecture)
    {
        var options = new SavoOptions { Architecture = architecture, HiddenSizes = [8], SummarySize = 4, BatchSize = 8, LearningStarts = 20, CemPopulation = 8, CemElites = 2, Seed = 2 };
        using var env = LearningEvaluation.MakeVector("Pendulum-v1", 2);
        var agent = new SavoEstimator(options).Fit(env, Budget.Steps(60));
        using var directory = new TemporaryDirectory("savo");
        string path = directory.File("savo.rlkit");
        Checkpoint.Save(agent, path);
        var loaded = (SavoAgent)Checkpoint.LoadAgent(path);
        Assert.That(loaded.Architecture, Is.EqualTo(architecture));
        var s = Tensor.RandomNormal(new RandomGenerator(3), [4, 3]);
        var (before, after) = (new float[4], new float[4]);
        agent.Act(s, before, deterministic: true);
        loaded.Act(s, after, deterministic: true);
        Assert.That(after, Is.EqualTo(before));
        Assert.That(before.All(a => a is >= -2f and <= 2f));
    }

    [Test]
    public void DiscreteModeActsWithAvailableActionIds()
    {
        var agent = SavoAgent.Create(new Box([-1f], [1f], [1]), Items(), new SavoOptions { HiddenSizes = [8], SummarySize = 4 }, new RandomGenerator(1));
        var availability = new bool[2 * 5];
        availability[2] = availability[4] = true; // row 0: {2, 4}
        availability[5 + 0] = true;               // row 1: {0}
        var ids = new int[2];
        agent.Act(Tensor.FromArray([0.3f, -0.2f], 2, 1), availability, ids, deterministic: false, new RandomGenerator(2));
        Assert.That(ids[0], Is.AnyOf(2, 4));
        Assert.That(ids[1], Is.EqualTo(0));
    }

    [Test]
    public void QLandscapeSamplesQAndEverySurrogate()
    {
        var agent = SavoAgent.Create(new Box([-1f], [1f], [1]), new Box([-2f], [2f], [1]), new SavoOptions { HiddenSizes = [8], SummarySize = 4 }, new RandomGenerator(1));
        var landscape = agent.QLandscape([0.5f], points: 11);
        Assert.That(landscape.Actions, Has.Count.EqualTo(11));
        Assert.That(landscape.Actions[0], Is.EqualTo(-2f));
        Assert.That(landscape.Actions[10], Is.EqualTo(2f));
        Assert.That(landscape.Surrogates, Has.Count.EqualTo(2));
        Assert.That(landscape.Proposals, Has.Count.EqualTo(3));
        using var noGrad = GradMode.NoGrad();
        var s = Tensor.FromArray([0.5f], 1, 1);
        Assert.That(landscape.Q[3], Is.EqualTo(agent.Q1.Forward(s, Tensor.FromArray([landscape.Actions[3]], 1, 1)).Item()).Within(1e-5f));
        Assert.That(landscape.ProposalValues[landscape.MaximizerChoice], Is.EqualTo(landscape.ProposalValues.Max()));
        Assert.Throws<ArgumentException>(() => SavoAgent.Create(new Box([-1f], [1f], [1]), UnitBox, new SavoOptions { HiddenSizes = [8] }, new RandomGenerator(1)).QLandscape([0f]));
    }
}
