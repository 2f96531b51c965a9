using RLKit.Algorithms.A2c;
using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.MixMask;
using RLKit.Algorithms.Ppo;
using RLKit.Autograd;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Envs.Grid;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests.ActionRelations;

[TestFixture]
public sealed class PpoActionRelationTests
{
    private static readonly EnvironmentCatalog Catalog = StandardEnvironments.CreateCatalog();

    // A universe of 5 actions with 3-float representations; observations of 4 floats.
    private static ActionSet Universe(float shift = 0f)
    {
        var rng = new RandomGenerator(11);
        var representations = new float[5 * 3];
        for (int i = 0; i < representations.Length; i++) representations[i] = (float)rng.NextDouble() * 2 - 1;
        representations[1 * 3] += shift; // action 1: the one the tests mask everywhere
        return new ActionSet(5, 3, representations);
    }

    private static bool[] Mask(params string[] rows) => rows.SelectMany(r => r.Select(c => c == '1')).ToArray();

    private static ActionSetActorCritic Network(ActionSet? set = null, ulong seed = 1) =>
        new(4, set ?? Universe(), Relations.Agile, new RandomGenerator(seed));

    private static Tensor Observations(int rows, ulong seed = 2) => Tensor.RandomNormal(new RandomGenerator(seed), [rows, 4]);

    [Test]
    public void DistributionMapsSlotsToUniverseIdsAndBack()
    {
        // Row 0 offers {0, 2, 3}, row 1 offers {4}: three slots, row 1 padded at slots 1 and 2.
        var set = Universe();
        var batch = ActionSetBatch.FromAvailability(set.Representations, 3, Mask("10110", "00001"), 2);
        Assert.That(batch.Width, Is.EqualTo(3));
        var scores = Tensor.FromSpan([0.5f, -1f, 2f, 7f, 9f, 9f], 2, 3);
        var policy = new ActionSetDistribution(scores, batch, set.Count);

        var mode = new int[2];
        policy.Mode(mode);
        Assert.That(mode, Is.EqualTo(new[] { 3, 4 }), "the mode of row 0 is slot 2 = id 3; padding (score 9) is never the mode");

        var logProbs = policy.LogProb([3, 4]).AsReadOnlySpan().ToArray();
        double z = Math.Log(Math.Exp(0.5) + Math.Exp(-1) + Math.Exp(2));
        Assert.That(logProbs[0], Is.EqualTo(2 - z).Within(1e-5));
        Assert.That(logProbs[1], Is.EqualTo(0).Within(1e-6), "the only available action has probability 1");
        Assert.That(policy.LogProb([0, 4]).AsReadOnlySpan()[0], Is.EqualTo(0.5 - z).Within(1e-5));

        var counts = new int[5];
        var sample = new int[2];
        var rng = new RandomGenerator(3);
        for (int i = 0; i < 2000; i++)
        {
            policy.Sample(rng, sample);
            counts[sample[0]]++;
            Assert.That(sample[1], Is.EqualTo(4));
        }
        Assert.That(counts[1] + counts[4], Is.Zero, "row 0 never samples an action it does not offer");
        Assert.That(counts[3] / 2000.0, Is.EqualTo(Math.Exp(2 - z)).Within(0.04), "id 3 (slot 2) with its softmax probability");

        var entropy = policy.Entropy().AsReadOnlySpan().ToArray();
        Assert.That(entropy[1], Is.EqualTo(0).Within(1e-6), "padding adds no entropy");
        Assert.That(entropy[0], Is.GreaterThan(0));

        var ex = Assert.Throws<ArgumentException>(() => policy.LogProb([1, 4]));
        Assert.That(ex!.Message, Does.Contain("action 1 in row 0"));
    }

    [Test]
    public void PaddingSlotsGetNoGradientThroughThePpoLoss()
    {
        var set = Universe();
        var batch = ActionSetBatch.FromAvailability(set.Representations, 3, Mask("10110", "00011"), 2);
        var scores = Tensor.FromSpan([0.5f, -1f, 2f, 0.3f, -0.2f, 4f], 2, 3);
        scores.RequiresGrad = true;
        var policy = new ActionSetDistribution(scores, batch, set.Count);
        var ratio = (policy.LogProb([2, 4]) - Tensor.FromSpan([-1.2f, -0.9f], 2)).Exp();
        var loss = PpoLoss.ClippedSurrogate(ratio, Tensor.FromSpan([1f, -0.5f], 2), 0.1f) - policy.Entropy().Mean() * 0.05f;
        loss.Backward();
        var grad = scores.Grad!.AsReadOnlySpan().ToArray();
        Assert.That(grad[5], Is.EqualTo(0f), "row 1's padding slot");
        Assert.That(grad[..5], Has.Some.Not.EqualTo(0f));
    }

    [Test]
    public void MaskedActionsHaveProbabilityZeroAndDoNotReachTheLoss()
    {
        // Action 1 is masked in every row: changing its representation must change neither the losses nor any gradient.
        var keep = Mask("10111", "10101", "00110");
        int[] taken = [3, 2, 3];
        (float Loss, float[] Gradients) Run(float shift)
        {
            var net = Network(Universe(shift));
            var (policy, value) = net.Forward(Observations(3), keep);
            var loss = PpoLoss.ClippedSurrogate(policy.LogProb(taken).Exp(), Tensor.FromSpan([1f, -1f, 0.5f], 3), 0.1f)
                       + PpoLoss.Value(value, Tensor.FromSpan([1f, 2f, 3f], 3), value.Detach(), null) - policy.Entropy().Mean() * 0.05f;
            loss.Backward();
            return (loss.Item(), net.Parameters().SelectMany(p => p.Grad is null ? [] : p.Grad.AsReadOnlySpan().ToArray()).ToArray());
        }
        var (baseLoss, baseGrad) = Run(0f);
        var (shiftedLoss, shiftedGrad) = Run(5f);
        Assert.That(shiftedLoss, Is.EqualTo(baseLoss));
        Assert.That(shiftedGrad, Is.EqualTo(baseGrad));

        using var noGrad = GradMode.NoGrad();
        var sampled = new int[3];
        var policyOnly = Network().Policy(Observations(3), keep);
        var rng = new RandomGenerator(5);
        for (int i = 0; i < 500; i++)
        {
            policyOnly.Sample(rng, sampled);
            for (int row = 0; row < 3; row++) Assert.That(keep[row * 5 + sampled[row]], Is.True, $"row {row} sampled {sampled[row]}");
        }
    }

    [Test]
    public void ARowsPolicyDoesNotDependOnTheOtherRowsOrOnPadding()
    {
        // Row 1 alone (width 2) and inside a batch whose row 0 offers all five actions (width 5, row 1 padded).
        var net = Network();
        using var noGrad = GradMode.NoGrad();
        var observations = Observations(2);
        var both = net.Forward(observations, Mask("11111", "00101"));
        var alone = net.Forward(Tensor.FromSpan(observations.AsReadOnlySpan()[4..], 1, 4), Mask("00101"));
        Assert.That(both.Policy.LogProb([0, 4]).AsReadOnlySpan()[1], Is.EqualTo(alone.Policy.LogProb([4]).AsReadOnlySpan()[0]).Within(1e-5));
        Assert.That(both.Value.AsReadOnlySpan()[1], Is.EqualTo(alone.Value.AsReadOnlySpan()[0]).Within(1e-5));
    }

    [Test]
    public void ActingGivenAvailabilityOnlyTakesAvailableActions()
    {
        var rows = 64;
        var rng = new RandomGenerator(7);
        var availability = new bool[rows * 9];
        for (int row = 0; row < rows; row++)
        {
            for (int a = 0; a < 9; a++) availability[row * 9 + a] = rng.NextDouble() < 0.4;
            availability[row * 9 + rng.NextInt(9)] = true;
        }
        var observations = Tensor.RandomNormal(new RandomGenerator(8), [rows, 166]);
        foreach (var options in new[] { new PpoOptions { ActionRelations = Relations.Agile }, new PpoOptions() })
        {
            var env = Catalog.Make("DigLavaGrid-v0");
            IActionSetAgent agent = new PpoAgent(env.ObservationSpace, env.ActionSpace, options, new RandomGenerator(9));
            var actions = new int[rows];
            foreach (bool deterministic in new[] { true, false })
                for (int repeat = 0; repeat < 5; repeat++)
                {
                    agent.Act(observations, availability, actions, deterministic, new RandomGenerator((ulong)repeat));
                    for (int row = 0; row < rows; row++)
                        Assert.That(availability[row * 9 + actions[row]], Is.True, $"{(options.ActionRelations is null ? "masked head" : "relations")}: row {row} took {actions[row]}");
                }
        }
    }

    [Test]
    public void BadInputGetsClearErrors()
    {
        var cartPole = Catalog.Make("CartPole-v1");
        var relational = new PpoOptions { ActionRelations = Relations.Agile };
        var ex = Assert.Throws<NotSupportedException>(() => new PpoAgent(cartPole.ObservationSpace, cartPole.ActionSpace, relational, new RandomGenerator(0)));
        Assert.That(ex!.Message, Does.Contain("ActionRelations").And.Contain("ActionSet"));
        var pendulum = Catalog.Make("Pendulum-v1");
        Assert.Throws<NotSupportedException>(() => new PpoEstimator().WithActionRelations(Relations.Agile)
            .Fit(new SyncVectorEnvironment([pendulum], AutoresetMode.SameStep), Budget.Steps(8)));

        var mixed = Assert.Throws<ArgumentOutOfRangeException>(() => new PpoEstimator(relational with { SharedFeatures = new SharedFeatureOptions() }));
        Assert.That(mixed!.ParamName, Is.EqualTo("ActionRelations"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PpoEstimator(new PpoOptions { ActionRelations = Relations.Agile with { HiddenSize = 0 } }));

        var env = Catalog.Make("DigLavaGrid-v0");
        IActionSetAgent agent = new PpoAgent(env.ObservationSpace, env.ActionSpace, relational, new RandomGenerator(0));
        var availability = new bool[2 * 9];
        availability[3] = true; // row 0 may move up; row 1 may do nothing
        var empty = Assert.Throws<ArgumentException>(() => agent.Act(Tensor.Zeros(2, 166), availability, new int[2], deterministic: true));
        Assert.That(empty!.Message, Does.Contain("row 1"));
        Assert.That(empty.ParamName, Is.EqualTo("availability"));
        Assert.Throws<ArgumentException>(() => agent.Act(Tensor.Zeros(2, 166), new bool[9], new int[2], deterministic: true));
        Assert.Throws<ArgumentException>(() => ((PpoAgent)agent).Network.Policy(Tensor.Zeros(2, 166), availability));

        IActionSetAgent discrete = new PpoAgent(cartPole.ObservationSpace, cartPole.ActionSpace, new PpoOptions(), new RandomGenerator(0));
        Assert.Throws<NotSupportedException>(() => discrete.Act(Tensor.Zeros(1, 4), [true, true], new int[1], deterministic: true));
        Assert.Throws<NotSupportedException>(() => _ = ((PpoAgent)agent).Network.Head);
    }

    [Test]
    public void ActionAttentionReadsTheActorsGraphAttention()
    {
        var env = Catalog.Make("DigLavaGrid-v0");
        var agent = new PpoAgent(env.ObservationSpace, env.ActionSpace, new PpoOptions { ActionRelations = Relations.Agile }, new RandomGenerator(0));
        var availability = new bool[9];
        foreach (int id in new[] { 0, 1, 2, 3, 4, 7, 8 }) availability[id] = true;
        var map = ActionAttention.For(agent, new float[166], availability);
        Assert.That(map.ActionIds, Is.EqualTo(new[] { 0, 1, 2, 3, 4, 7, 8 }));
        Assert.That(map.Layers, Is.Not.Empty);
        Assert.That(map.Layers[0], Has.Length.EqualTo(49));

        var plain = new PpoAgent(env.ObservationSpace, env.ActionSpace, new PpoOptions(), new RandomGenerator(0));
        var ex = Assert.Throws<ArgumentException>(() => ActionAttention.For(plain, new float[166], availability));
        Assert.That(ex!.Message, Does.Contain("ActionRelations"));
    }

    private static SyncVectorEnvironment DigLava(int count) => new(
        Enumerable.Range(0, count).Select(_ => Catalog.Make("DigLavaGrid-v0", new DigLavaGridOptions { SpecialSkills = [DigLavaSkill.DigOrange, DigLavaSkill.DigPink] })).ToArray(),
        AutoresetMode.SameStep);

    [Test]
    public void A2cEpsilonExplorationPicksOnlyAvailableActions()
    {
        // ε = 1: every action is the uniformly random one; the grid throws on an unavailable skill.
        using var env = new SyncVectorEnvironment(
            Enumerable.Range(0, 4).Select(_ => Catalog.Make("DigLavaGrid-v0")).ToArray(), AutoresetMode.SameStep);
        var estimator = new A2cEstimator(new A2cOptions { Seed = 2, ExplorationEpsilon = 1f });
        Assert.DoesNotThrow(() => estimator.Fit(env, Budget.Steps(2_000)));
    }

    [Test]
    public void WarmStartAcceptsAnActionSetWhoseAvailabilityDiffers()
    {
        // The agent's action set offers all 9 skills; the grid offers 7 of the same 9: the same space of values.
        var grid = new DigLavaGrid();
        var allOffered = new ActionSet(9, DigLavaGrid.RepresentationSize, grid.Skills.Representations.ToArray());
        var agent = new PpoAgent(grid.ObservationSpace, allOffered, new PpoOptions { Seed = 1 }, new RandomGenerator(1));
        using var env = DigLava(2);
        env.Reset(1);
        Assert.That(env.SingleActionSpace.Description, Is.Not.EqualTo(allOffered.Description));
        Assert.DoesNotThrow(() => agent.RequireCompatible(env));

        var wider = new ActionSet(10, DigLavaGrid.RepresentationSize, new float[10 * DigLavaGrid.RepresentationSize]);
        var other = new PpoAgent(grid.ObservationSpace, wider, new PpoOptions { Seed = 1 }, new RandomGenerator(1));
        Assert.Throws<ArgumentException>(() => other.RequireCompatible(env));
    }

    [Test]
    public void CheckpointRoundTripGivesIdenticalActions()
    {
        using var env = DigLava(2);
        var agent = new PpoEstimator(new PpoOptions { Seed = 3, StepsPerEnvironment = 16, MinibatchSize = 16, Epochs = 1 })
            .WithActionRelations(Relations.Agile)
            .Fit(env, Budget.Steps(64));
        Assert.That(agent.Network, Is.TypeOf<ActionSetActorCritic>());
        string path = Path.Combine(Path.GetTempPath(), $"ppo-agile-{Guid.NewGuid():N}.rlkit");
        try
        {
            Checkpoint.Save(agent, path);
            var loaded = (PpoAgent)Checkpoint.LoadAgent(path);
            Assert.That(loaded.Options.ActionRelations, Is.EqualTo(Relations.Agile));
            Assert.That(loaded.Network, Is.TypeOf<ActionSetActorCritic>());
            var observations = Tensor.RandomNormal(new RandomGenerator(4), [32, 166]);
            var availability = new bool[32 * 9];
            var rng = new RandomGenerator(5);
            for (int i = 0; i < availability.Length; i++) availability[i] = i % 9 == 0 || rng.NextDouble() < 0.5;
            var expected = new int[32];
            var actual = new int[32];
            agent.Act(observations, availability, expected, deterministic: true);
            loaded.Act(observations, availability, actual, deterministic: true);
            Assert.That(actual, Is.EqualTo(expected));
            agent.Act(observations, availability, expected, deterministic: false, new RandomGenerator(6));
            loaded.Act(observations, availability, actual, deterministic: false, new RandomGenerator(6));
            Assert.That(actual, Is.EqualTo(expected));
            var values = new float[32];
            var loadedValues = new float[32];
            agent.Values(observations, values, availability);
            loaded.Values(observations, loadedValues, availability);
            Assert.That(loadedValues, Is.EqualTo(values));
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*")) File.Delete(file);
            if (File.Exists(path)) File.Delete(path);
        }
    }

    [Test]
    public void A2cTrainsTheRelationalNetworkToo()
    {
        using var env = DigLava(2);
        var updates = new List<TrainingUpdate>();
        var agent = new A2cEstimator(new A2cOptions { StepsPerUpdate = 8 }).WithActionRelations(Relations.Agile)
            .Fit(env, Budget.Steps(64), new SynchronousProgress(updates.Add));
        Assert.That(agent.Network, Is.TypeOf<ActionSetActorCritic>());
        Assert.That(updates.Where(u => !u.IsFinal).SelectMany(u => u.Losses.Values), Has.All.Matches<double>(double.IsFinite));
        Assert.That(updates.Count(u => !u.IsFinal), Is.GreaterThan(0));
    }
}
