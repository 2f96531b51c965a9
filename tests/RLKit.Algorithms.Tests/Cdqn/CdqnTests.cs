using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.Cdqn;
using RLKit.Algorithms.Hosting;
using RLKit.Envs;
using RLKit.Envs.Recommender;
using RLKit.Hosting;
using RLKit.Optim;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;
using RLKit.Training.Checkpoints;

namespace RLKit.Algorithms.Tests.Cdqn;

public class CdqnTests
{
    // A small universe: 12 items with 4-wide representations, lists of 4, 3-float observations.
    private const int Items = 12, Width = 4, Length = 4, ObservationSize = 3;

    private static readonly CdqnOptions Small = new()
    {
        Relations = Relations.Agile with { HiddenSize = 8, StateHiddenSize = 8 },
        ListEncoderSize = 6,
        Seed = 3,
    };

    private static CdqnAgent MakeAgent(CdqnOptions options, int items = Items, int width = Width, int length = Length, ulong seed = 5)
    {
        var rng = new RandomGenerator(seed);
        var representations = new float[items * width];
        for (int i = 0; i < representations.Length; i++) representations[i] = rng.NextSingle() * 2f - 1f;
        var space = new ActionList(new ActionSet(items, width, representations), length);
        var network = new CdqnNetwork(ObservationSize, width, length, options, new RandomGenerator(options.Seed));
        return new CdqnAgent(network, new Box(-1f, 1f, ObservationSize), space, options);
    }

    private static Tensor RandomObservations(RandomGenerator rng, int rows)
    {
        var data = new float[rows * ObservationSize];
        for (int i = 0; i < data.Length; i++) data[i] = rng.NextSingle() * 2f - 1f;
        return Tensor.FromArray(data, rows, ObservationSize);
    }

    // ---- Acting -------------------------------------------------------------------------------------------------

    [TestCase(true, 0f)]
    [TestCase(true, 0.5f)]
    [TestCase(true, 1f)]
    [TestCase(false, 0f)]
    [TestCase(false, 0.5f)]
    [TestCase(false, 1f)]
    public void ListsNeverRepeatAnItemAndHoldOnlyAvailableItems(bool cascade, float epsilon)
    {
        // A property over random availability: 60 batches of 5 rows, each row with between Length and Items available.
        var agent = MakeAgent(Small with { Cascade = cascade });
        var rng = new RandomGenerator(11);
        const int rows = 5;
        var availability = new bool[rows * Items];
        var actions = new int[rows * Length];
        for (int trial = 0; trial < 60; trial++)
        {
            for (int r = 0; r < rows; r++)
            {
                var row = availability.AsSpan(r * Items, Items);
                int available = Length + rng.NextInt(Items - Length + 1);
                row.Clear();
                var ids = new int[available];
                new ActionList(new ActionSet(Items, 0, []), available).Sample(rng, ids);
                foreach (int id in ids) row[id] = true;
            }
            agent.ActEpsilonGreedy(RandomObservations(rng, rows), agent.Items.Representations, availability, actions, epsilon, rng);
            for (int r = 0; r < rows; r++)
            {
                var list = actions.AsSpan(r * Length, Length).ToArray();
                Assert.That(list.Distinct().Count(), Is.EqualTo(Length), $"trial {trial} row {r}: [{string.Join(", ", list)}] repeats an item");
                Assert.That(list.All(id => availability[r * Items + id]), Is.True, $"trial {trial} row {r}: [{string.Join(", ", list)}] holds an unavailable item");
            }
        }
    }

    [Test]
    public void WithExactlyKAvailableTheListIsThoseItems()
    {
        var agent = MakeAgent(Small);
        var availability = new bool[Items];
        int[] offered = [2, 5, 7, 11];
        foreach (int id in offered) availability[id] = true;
        var actions = new int[Length];
        agent.Act(RandomObservations(new RandomGenerator(1), 1), availability, actions, deterministic: true);
        Assert.That(actions, Is.EquivalentTo(offered));
    }

    [Test]
    public void AListLongerThanTheAvailableItemsIsAClearError()
    {
        var agent = MakeAgent(Small);
        var availability = new bool[2 * Items];
        availability.AsSpan(0, Items).Fill(true);
        availability[Items + 1] = availability[Items + 4] = availability[Items + 9] = true; // row 1: 3 < 4 available
        var ex = Assert.Throws<ArgumentException>(() => agent.Act(RandomObservations(new RandomGenerator(1), 2), availability, new int[2 * Length], deterministic: true));
        Assert.That(ex!.Message, Does.Contain("row 1").And.Contain("3 available").And.Contain("4"));
        Assert.That(ex.ParamName, Is.EqualTo("availability"));

        var empty = new bool[Items];
        ex = Assert.Throws<ArgumentException>(() => agent.Act(RandomObservations(new RandomGenerator(1), 1), empty, new int[Length], deterministic: false));
        Assert.That(ex!.Message, Does.Contain("row 0").And.Contain("0 available"));
    }

    [Test]
    public void ARepresentationWidthMismatchIsAClearError()
    {
        var agent = MakeAgent(Small);
        var availability = Enumerable.Repeat(true, Items).ToArray();
        var tooWide = new float[Items * (Width + 2)];
        var ex = Assert.Throws<ArgumentException>(() => agent.Act(RandomObservations(new RandomGenerator(1), 1), tooWide, availability, new int[Length], deterministic: true));
        Assert.That(ex!.Message, Does.Contain($"width {Width}").And.Contain($"{Width + 2} wide"));
        Assert.That(ex.ParamName, Is.EqualTo("representations"));

        // An agent whose network was built for another width does not fit the space.
        var network = new CdqnNetwork(ObservationSize, Width + 1, Length, Small, new RandomGenerator(1));
        ex = Assert.Throws<ArgumentException>(() => new CdqnAgent(network, new Box(-1f, 1f, ObservationSize), agent.ActionSpace, Small));
        Assert.That(ex!.Message, Does.Contain($"{Width + 1} wide").And.Contain($"{Width} wide"));
    }

    [Test]
    public void OtherActionSpacesAreRefusedByName()
    {
        using var env = StandardEnvironments.CreateCatalog().Make("CartPole-v1");
        var ex = Assert.Throws<ArgumentException>(() => new CdqnEstimator(Small).Fit(env, Budget.Steps(10)));
        Assert.That(ex!.Message, Does.Contain("ActionList"));
    }

    [Test]
    public void SimpleDqnPicksTheTopKOfQ()
    {
        var agent = MakeAgent(Small with { Cascade = false, Relations = Relations.UtilityPolicy with { HiddenSize = 8, StateHiddenSize = 8 } });
        var rng = new RandomGenerator(4);
        for (int trial = 0; trial < 10; trial++)
        {
            var availability = new bool[Items];
            var ids = new int[7];
            new ActionList(new ActionSet(Items, 0, []), 7).Sample(rng, ids);
            foreach (int id in ids) availability[id] = true;
            var observation = RandomObservations(rng, 1);
            var actions = new int[Length];
            agent.Act(observation, availability, actions, deterministic: true);

            var candidates = ActionSetBatch.FromAvailability(agent.Items.Representations, Width, availability, 1);
            var q = agent.Network.QValues(observation, candidates, agent.Items.Representations, default).ToArray();
            var expected = Enumerable.Range(0, candidates.AvailableCount(0)).OrderByDescending(s => q[s]).Take(Length).Select(s => candidates.IdAt(0, s));
            Assert.That(actions, Is.EqualTo(expected));
        }
    }

    [Test]
    public void ActingWithoutAvailabilityOffersTheWholeUniverse()
    {
        var agent = MakeAgent(Small);
        var observation = RandomObservations(new RandomGenerator(2), 3);
        var withoutMask = new int[3 * Length];
        var withFullMask = new int[3 * Length];
        agent.Act(observation, withoutMask, deterministic: true);
        agent.Act(observation, Enumerable.Repeat(true, 3 * Items).ToArray(), withFullMask, deterministic: true);
        Assert.That(withoutMask, Is.EqualTo(withFullMask));
    }

    [Test]
    public void AnActionSetIsAListOfOne()
    {
        var representations = new float[Items * Width];
        new RandomGenerator(8).FillNormal(representations, 0f, 1f);
        var set = new ActionSet(Items, Width, representations);
        var network = new CdqnNetwork(ObservationSize, Width, 1, Small, new RandomGenerator(1));
        var agent = new CdqnAgent(network, new Box(-1f, 1f, ObservationSize), set, Small);
        Assert.That(agent.ListLength, Is.EqualTo(1));
        var availability = new bool[2 * Items];
        availability[3] = availability[Items + 6] = availability[Items + 9] = true;
        var actions = new int[2];
        agent.Act(RandomObservations(new RandomGenerator(3), 2), availability, actions, deterministic: false, new RandomGenerator(4));
        Assert.That(actions[0], Is.EqualTo(3));
        Assert.That(actions[1], Is.AnyOf(6, 9));
    }

    [Test]
    public void TheAttentionMapIsTheQNetworksAtTheFirstPosition()
    {
        var agent = MakeAgent(Small);
        var availability = new bool[Items];
        int[] offered = [0, 3, 4, 8, 10];
        foreach (int id in offered) availability[id] = true;
        var map = ActionAttention.For(agent, [0.1f, -0.4f, 0.7f], availability);
        Assert.That(map.ActionIds, Is.EqualTo(offered));
        Assert.That(map.Layers, Has.Count.EqualTo(2));
        foreach (var layer in map.Layers)
            for (int i = 0; i < offered.Length; i++)
                Assert.That(layer.AsSpan(i * offered.Length, offered.Length).ToArray().Sum(), Is.EqualTo(1f).Within(1e-5f));
    }

    // ---- Targets (Algorithm 5) on a hand-worked case ---------------------------------------------------------------

    // Items 0..3 with c_a = (v_a, 0), v = (1, 3, 2, 5); item 3 (the best) is unavailable. List length 2, list [1, 2].
    private static readonly float[] HandReps = [1f, 0f, 3f, 0f, 2f, 0f, 5f, 0f];

    private static readonly CdqnOptions HandOptions = new()
    {
        Relations = Relations.UtilityPolicy with { HiddenSize = 4, StateHiddenSize = 4 },
        ListEncoderSize = 3,
        Gamma = 0.9f,
    };

    /// <summary>
    /// Sets the network so that Q(s, a) = itemWeight · v_a + g(s_0), g(x) = ReLU(tanh(tanh(x))), whatever the list:
    /// e_s[0] = tanh(tanh(s_0)) and the utility's hidden units read v_a and e_s[0].
    /// </summary>
    private static CdqnNetwork HandNetwork(bool cascade, float itemWeight)
    {
        var network = new CdqnNetwork(2, 2, 2, HandOptions with { Cascade = cascade }, new RandomGenerator(1));
        foreach (var p in network.Parameters()) p.AsSpan().Clear();
        var parameters = network.NamedParameters().ToDictionary(p => p.Key, p => p.Value);
        parameters["scorer.state.0.weight"].AsSpan()[0] = 1f;   // [4, 2]: unit 0 reads s_0
        parameters["scorer.state.1.weight"].AsSpan()[0] = 1f;   // [4, 4]: unit 0 reads unit 0
        var hidden = parameters["scorer.utility.0.weight"];      // [4, code 4 + context + item 2]
        int input = hidden.Dim(1);
        hidden.AsSpan()[0 * input + input - 2] = 1f;               // hidden 0 = ReLU(v_a)
        hidden.AsSpan()[1 * input + 0] = 1f;                       // hidden 1 = ReLU(e_s[0])
        var output = parameters["scorer.utility.1.weight"].AsSpan(); // [1, 4]
        output[0] = itemWeight;
        output[1] = 1f;
        return network;
    }

    private static float G(float x) => MathF.Max(0f, MathF.Tanh(MathF.Tanh(x)));

    private static CdqnBatch HandBatch(bool terminated)
    {
        var batch = new CdqnBatch(1, 2, 2, 4);
        batch.Observations[0] = 0.3f;
        batch.NextObservations[0] = 0.8f;
        batch.Lists[0] = 1;
        batch.Lists[1] = 2;
        batch.Rewards[0] = 0.5f;
        batch.Terminated[0] = terminated;
        batch.Availability[0] = batch.Availability[1] = batch.Availability[2] = true;
        return batch;
    }

    [TestCase(false)]
    [TestCase(true)]
    public void CascadeTargetsFollowAlgorithm5(bool terminated)
    {
        var online = HandNetwork(cascade: true, itemWeight: 1f);
        var target = HandNetwork(cascade: true, itemWeight: 2f); // targets must come from this one
        var batch = HandBatch(terminated);

        var (y, rows) = CdqnEstimator.Targets(online, target, batch, HandReps, 0.9f);
        // y_1 = r + γ max_{a ∈ A∖{1}} Q_T,2(s, a) = 0.5 + 0.9 (2·max(1, 2) + g(0.3));
        // y_2 = r + γ (1 − terminated) max_{a ∈ A} Q_T,1(s̃, a) = 0.5 + 0.9 (2·3 + g(0.8)) (item 3 is unavailable).
        float y1 = 0.5f + 0.9f * (2f * 2f + G(0.3f));
        float y2 = terminated ? 0.5f : 0.5f + 0.9f * (2f * 3f + G(0.8f));
        Assert.That(y, Is.EqualTo(new[] { y1, y2 }).Within(1e-5f));

        // q_n = Q_n(s, a_n, A ∖ a_{1:n−1}) from the online network: v_1 + g(0.3), v_2 + g(0.3).
        float q1 = 3f + G(0.3f), q2 = 2f + G(0.3f);
        var q = CdqnEstimator.ChosenQ(online, batch, HandReps, rows).ToArray();
        Assert.That(q, Is.EqualTo(new[] { q1, q2 }).Within(1e-5f));

        // The loss is the sum over positions of the squared errors (one transition).
        var optimizer = new Adam(online.Parameters().ToList(), 1e-4f);
        var (loss, meanQ) = CdqnEstimator.GradientStep(online, target, optimizer, batch, HandReps, HandOptions);
        Assert.That(loss, Is.EqualTo((q1 - y1) * (q1 - y1) + (q2 - y2) * (q2 - y2)).Within(1e-3));
        Assert.That(meanQ, Is.EqualTo((q1 + q2) / 2).Within(1e-5));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void SimpleDqnTargetsBootstrapEveryItemFromTheNextState(bool terminated)
    {
        var online = HandNetwork(cascade: false, itemWeight: 1f);
        var target = HandNetwork(cascade: false, itemWeight: 2f);
        var batch = HandBatch(terminated);
        var (y, rows) = CdqnEstimator.Targets(online, target, batch, HandReps, 0.9f);
        float expected = terminated ? 0.5f : 0.5f + 0.9f * (2f * 3f + G(0.8f));
        Assert.That(y, Is.EqualTo(new[] { expected, expected }).Within(1e-5f));
        Assert.That(CdqnEstimator.ChosenQ(online, batch, HandReps, rows).ToArray(),
                    Is.EqualTo(new[] { 3f + G(0.3f), 2f + G(0.3f) }).Within(1e-5f));
    }

    // ---- Options, registration, checkpoints --------------------------------------------------------------------

    [Test]
    public void DefaultsAreThePapersRecSimSettings()
    {
        var o = CdqnOptions.RecSim;
        Assert.Multiple(() =>
        {
            Assert.That(o.LearningRate, Is.EqualTo(1e-4f));
            Assert.That(o.BatchSize, Is.EqualTo(128));
            Assert.That(o.Gamma, Is.EqualTo(0.99f));
            Assert.That(o.TargetSyncInterval, Is.EqualTo(500));
            Assert.That(o.ListEncoderSize, Is.EqualTo(64));
            Assert.That(o.Cascade, Is.True);
            Assert.That(o.Relations, Is.EqualTo(Relations.Agile));
        });
    }

    [Test]
    public void InvalidOptionsNameTheOptionAndRange()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new CdqnEstimator(new CdqnOptions { EpsilonEnd = 0.5f, EpsilonStart = 0.2f }));
        Assert.That(ex!.Message, Does.Contain("CdqnOptions.EpsilonEnd").And.Contain("EpsilonStart"));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new CdqnEstimator(new CdqnOptions { TargetSyncInterval = 0 }));
        Assert.That(ex!.Message, Does.Contain("CdqnOptions.TargetSyncInterval"));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new CdqnEstimator(new CdqnOptions { Relations = null! }));
        Assert.That(ex!.Message, Does.Contain("CdqnOptions.Relations"));
    }

    [Test]
    public void EpsilonFallsLinearlyOverTheExplorationFraction()
    {
        var o = new CdqnOptions();
        Assert.That(CdqnEstimator.Epsilon(o, 0.0), Is.EqualTo(1f).Within(1e-6));
        Assert.That(CdqnEstimator.Epsilon(o, 0.25), Is.EqualTo(0.55f).Within(1e-6));
        Assert.That(CdqnEstimator.Epsilon(o, 0.75), Is.EqualTo(0.1f).Within(1e-6));
    }

    [Test]
    public void CdqnIsRegisteredByName()
    {
        var factory = ClassicAlgorithms.Cdqn;
        Assert.That(factory.Algorithm, Is.EqualTo("cdqn"));
        Assert.That(AlgorithmRegistry.CreateDefault().Contains("cdqn"), Is.True);
        var rl = new RLContext(seed: 7);
        Assert.That(rl.Agents.Cdqn(), Is.TypeOf<CdqnEstimator>());
        Assert.That(rl.Agents.Cdqn(o => o with { Cascade = false }).Options.Cascade, Is.False);
    }

    private static readonly RecSimSlateOptions TinySlate = new() { CandidateCount = 8, SlateSize = 3 };

    [Test]
    public void AWarmStartOnItemsOfAnotherWidthIsAClearError()
    {
        var catalog = StandardEnvironments.CreateCatalog();
        using var env = catalog.Make("RecSim-Slate-v0", TinySlate);
        var estimator = new CdqnEstimator(Small with { LearningStarts = 100 });
        var agent = estimator.Fit(env, Budget.Steps(5));
        using var narrower = catalog.Make("RecSim-Slate-v0", TinySlate with { RepresentationSize = 6 });
        var ex = Assert.Throws<ArgumentException>(() => estimator.Fit(narrower, Budget.Steps(5), initialAgent: agent));
        Assert.That(ex!.Message, Does.Contain("representations 10 wide").And.Contain("6"));

        // A warm start on the same spaces continues from the agent's weights.
        var continued = estimator.Fit(env, Budget.Steps(5), initialAgent: agent);
        Assert.That(continued.Weights["q.scorer.utility.1.bias"].ToArray(), Is.EqualTo(agent.Weights["q.scorer.utility.1.bias"].ToArray()));
    }

    [Test]
    public void TheEvaluatorHandsTheAgentEachEpisodesCandidates()
    {
        // An agent that ignored availability would recommend items outside the episode's candidates and the step would throw.
        var catalog = StandardEnvironments.CreateCatalog();
        using var env = catalog.Make("RecSim-Slate-v0", TinySlate);
        var network = new CdqnNetwork(env.ObservationSpace.FlatSize, TinySlate.RepresentationSize, TinySlate.SlateSize, Small, new RandomGenerator(1));
        var agent = new CdqnAgent(network, env.ObservationSpace, env.ActionSpace, Small);
        var single = RLKit.Training.Evaluation.Evaluator.Evaluate(agent, env, episodes: 2, deterministic: false, seed: 3);
        using var vector = new RLKit.Environments.Vector.SyncVectorEnvironment(
            [catalog.Make("RecSim-Slate-v0", TinySlate), catalog.Make("RecSim-Slate-v0", TinySlate)], RLKit.Environments.Vector.AutoresetMode.SameStep);
        var batched = RLKit.Training.Evaluation.Evaluator.Evaluate(agent, vector, episodes: 4, deterministic: true, seed: 3);
        Assert.That(single.MeanReturn, Is.InRange(0.0, 15.0));
        Assert.That(batched.MeanReturn, Is.InRange(0.0, 15.0));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void ACheckpointRoundTripGivesTheSameLists(bool cascade)
    {
        var options = Small with { Cascade = cascade, LearningStarts = 20, BatchSize = 8, Seed = 2 };
        using var env = StandardEnvironments.CreateCatalog().Make("RecSim-Slate-v0", TinySlate);
        var agent = new CdqnEstimator(options).Fit(env, Budget.Steps(60));
        string path = Path.Combine(Path.GetTempPath(), $"rlkit-cdqn-{Guid.NewGuid():N}{Checkpoint.FileExtension}");
        try
        {
            Checkpoint.Save(agent, path);
            var loaded = (CdqnAgent)Checkpoint.LoadAgent(path);
            var restored = CdqnAgent.FromCheckpoint(Checkpoint.Load(path));
            Assert.That(loaded.Items.Representations.ToArray(), Is.EqualTo(agent.Items.Representations.ToArray()));

            var rng = new RandomGenerator(9);
            var slate = (RecSimSlate)((RLKit.Environments.Wrappers.TimeLimit)env).Unwrapped;
            for (int trial = 0; trial < 5; trial++)
            {
                var observation = Tensor.FromSpan(env.Reset((ulong)(100 + trial)).Observation, 1, env.ObservationSpace.FlatSize);
                var availability = slate.CandidateSet.Available.ToArray();
                var expected = new int[3];
                agent.Act(observation, availability, expected, deterministic: true);
                foreach (var other in new[] { loaded, restored })
                {
                    var actual = new int[3];
                    other.Act(observation, availability, actual, deterministic: true);
                    Assert.That(actual, Is.EqualTo(expected));
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
