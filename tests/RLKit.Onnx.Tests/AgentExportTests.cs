using RLKit.Algorithms.Common;
using RLKit.Algorithms.Distral;
using RLKit.Autograd;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Onnx.Tests;

/// <summary>
/// Every classic agent, exported and run in ONNX Runtime: each output matches what RLKit computes for the same random
/// observations within 1e-5, at batch 1 and batch 1000, and the greedy action is the one <c>Act</c> takes.
/// </summary>
public sealed class AgentExportTests
{
    private static readonly int[] Batches = [1, 1000];

    [Test]
    public void PpoDiscrete() => CheckOnPolicy(TinyAgents.Ppo());

    [Test]
    public void PpoContinuous() => CheckOnPolicy(TinyAgents.Ppo("Pendulum-v1"), scale: 2f);

    [Test]
    public void PpoActionSetTakesTheMaskAsASecondInput()
    {
        var agent = TinyAgents.Ppo("DigLavaGrid-v0");
        Assert.That(agent.Network.Head, Is.TypeOf<MaskedCategoricalHead>());
        CheckOnPolicy(agent);
    }

    [Test]
    public void A2cSeparateTrunks() => CheckOnPolicy(TinyAgents.A2c());

    [Test]
    public void A2cSharedTrunk() => CheckOnPolicy(TinyAgents.A2c(sharedNetwork: true));

    [Test]
    public void Reinforce() => CheckOnPolicy(TinyAgents.Reinforce());

    [Test]
    public void ActorOnlyExportLeavesOutTheValue()
    {
        var agent = TinyAgents.Ppo();
        using var run = OnnxRun.Export(agent, new OnnxExportOptions { IncludeValue = false });
        Assert.That(run.Session.OutputNames, Is.EquivalentTo(new[] { OnnxNames.Logits, OnnxNames.Probabilities, OnnxNames.Action }));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Dqn(bool dueling)
    {
        var agent = TinyAgents.Dqn(dueling);
        Assert.That(agent.QNetwork.IsDueling, Is.EqualTo(dueling));
        CheckQValues(agent, agent.QNetwork);
    }

    [Test]
    public void SoftQ()
    {
        var agent = TinyAgents.SoftQ();
        CheckQValues(agent, agent.QNetwork);
    }

    [Test]
    public void Sac() => CheckContinuous(TinyAgents.Sac());

    [Test]
    public void Td3() => CheckContinuous(TinyAgents.Td3());

    [Test]
    public void Ddpg() => CheckContinuous(TinyAgents.Ddpg());

    [Test]
    public void DiscreteSac()
    {
        var agent = TinyAgents.DiscreteSac();
        CheckCategorical(agent, agent.ObservationSpace.FlatSize, 2, obs => agent.Actor.Forward(obs), null);
    }

    [Test]
    public void DiscreteSacAddsTheSpaceStartToTheAction()
    {
        // An untrained agent on Discrete(3, start: 2): Act returns 2, 3 or 4, and so must the model.
        var options = new Algorithms.Sac.DiscreteSacOptions { HiddenSizes = [8], Seed = 3 };
        var agent = Algorithms.Sac.DiscreteSacAgent.Create(new Box(-1f, 1f, [4]), new Discrete(3, start: 2), options, new RandomGenerator(3));
        CheckCategorical(agent, 4, 3, obs => agent.Actor.Forward(obs), null, offset: 2);
    }

    [TestCase(DistralColumns.TwoColumn, 0.8f, 1f)]
    [TestCase(DistralColumns.TwoColumn, 0f, 1f)]
    [TestCase(DistralColumns.OneColumn, 0.8f, 2f)]
    public void DistralDistilledAndTaskPolicies(DistralColumns columns, float alpha, float scale)
    {
        var agent = TinyAgents.Distral(o => o with { Columns = columns, Alpha = alpha, TaskPolicyScale = scale });
        Assert.That(agent.TaskIds, Has.Count.EqualTo(5));
        int size = agent.ObservationSpace.FlatSize, actions = ((Discrete)agent.ActionSpace).N;
        CheckCategorical(agent, size, actions, obs => agent.Model.Distilled.Forward(obs), null);
        foreach (int task in new[] { 0, 3 })
        {
            var taskAgent = ((IMultiTaskAgent)agent).ForTask(task);
            CheckCategorical(taskAgent, size, actions, obs => agent.Model.PolicyLogits(task, obs), new OnnxExportOptions { Task = task }, exported: agent);
        }
    }

    [Test]
    public void DistralTaskPoliciesDiffer()
    {
        // The per-task export is not π0 again under another name.
        var agent = TinyAgents.Distral();
        var observations = OnnxRun.RandomObservations(200, agent.ObservationSpace.FlatSize, seed: 4);
        using var distilled = OnnxRun.Export(agent);
        using var task = OnnxRun.Export(agent, new OnnxExportOptions { Task = 1 });
        var a = distilled.Run(observations, 200).Float[OnnxNames.Logits];
        var b = task.Run(observations, 200).Float[OnnxNames.Logits];
        Assert.That(a.Zip(b, (x, y) => MathF.Abs(x - y)).Max(), Is.GreaterThan(1e-3f));
    }

    /// <summary>PPO, A2C, REINFORCE (and Mix &amp; Mask): logits, probabilities, action and value, or the clipped mean action and value.</summary>
    internal static void CheckOnPolicy(IAgent agent, float scale = 1f)
    {
        var network = agent switch
        {
            Algorithms.Ppo.PpoAgent p => p.Network,
            Algorithms.A2c.A2cAgent a => a.Network,
            Algorithms.Reinforce.ReinforceAgent r => r.Network,
            _ => throw new ArgumentException(agent.GetType().Name),
        };
        network.Eval();
        int size = agent.ObservationSpace.FlatSize;
        using var run = OnnxRun.Export(agent);
        foreach (int rows in Batches)
        {
            var observations = OnnxRun.RandomObservations(rows, size, seed: (ulong)rows, scale);
            using var scope = TensorScope.Begin();
            using var noGrad = GradMode.NoGrad();
            var x = Tensor.FromArray(observations, rows, size);
            if (network.Head.IsDiscrete)
            {
                int actions = network.Head.ActionSize;
                bool[]? mask = network.Head is MaskedCategoricalHead ? RandomMask(rows, actions, seed: (ulong)rows) : null;
                var outputs = run.Run(observations, rows, mask);
                Assert.That(outputs.Names, Is.EqualTo(new[] { OnnxNames.Action, OnnxNames.Logits, OnnxNames.Probabilities, OnnxNames.Value }));
                var policy = (CategoricalDistribution)network.Policy(x, mask);
                var expected = new int[rows];
                policy.Mode(expected);
                OnnxRun.AssertClose(policy.Logits.AsReadOnlySpan(), outputs.Float[OnnxNames.Logits], OnnxNames.Logits);
                OnnxRun.AssertClose(policy.LogProbs.Exp().AsReadOnlySpan(), outputs.Float[OnnxNames.Probabilities], OnnxNames.Probabilities);
                OnnxRun.AssertSameActions(expected, outputs.Int64[OnnxNames.Action], policy.Logits.AsReadOnlySpan(), actions);
                if (mask is not null)
                    for (int row = 0; row < rows; row++)
                        Assert.That(mask[row * actions + (int)outputs.Int64[OnnxNames.Action][row]], Is.True, $"row {row}: the model chose a masked action");
                else AssertActMatches(agent, x, outputs.Int64[OnnxNames.Action], policy.Logits.AsReadOnlySpan(), actions);
                OnnxRun.AssertClose(network.Value(x).AsReadOnlySpan(), outputs.Float[OnnxNames.Value], OnnxNames.Value);
                Assert.That(outputs.Shapes[OnnxNames.Value], Is.EqualTo(new long[] { rows }));
            }
            else
            {
                var outputs = run.Run(observations, rows);
                Assert.That(outputs.Names, Is.EqualTo(new[] { OnnxNames.Action, OnnxNames.Value }));
                var expected = new float[rows * agent.ActionSpace.FlatSize];
                agent.Act(x, expected, deterministic: true);
                OnnxRun.AssertClose(expected, outputs.Float[OnnxNames.Action], OnnxNames.Action);
                OnnxRun.AssertClose(network.Value(x).AsReadOnlySpan(), outputs.Float[OnnxNames.Value], OnnxNames.Value);
                AssertInsideBox((Box)agent.ActionSpace, outputs.Float[OnnxNames.Action]);
            }
        }
    }

    /// <summary>A categorical policy whose logits <paramref name="logits"/> computes: logits, probabilities and the action Act takes.</summary>
    private static void CheckCategorical(IAgent agent, int size, int actions, Func<Tensor, Tensor> logits, OnnxExportOptions? options, int offset = 0,
                                         IAgent? exported = null)
    {
        using var run = OnnxRun.Export(exported ?? agent, options);
        foreach (int rows in Batches)
        {
            var observations = OnnxRun.RandomObservations(rows, size, seed: (ulong)rows + 10);
            var outputs = run.Run(observations, rows);
            Assert.That(outputs.Names, Is.EqualTo(new[] { OnnxNames.Action, OnnxNames.Logits, OnnxNames.Probabilities }));
            using var scope = TensorScope.Begin();
            using var noGrad = GradMode.NoGrad();
            var x = Tensor.FromArray(observations, rows, size);
            var expectedLogits = logits(x);
            OnnxRun.AssertClose(expectedLogits.AsReadOnlySpan(), outputs.Float[OnnxNames.Logits], OnnxNames.Logits);
            OnnxRun.AssertClose(expectedLogits.Softmax(1).AsReadOnlySpan(), outputs.Float[OnnxNames.Probabilities], OnnxNames.Probabilities);
            AssertActMatches(agent, x, outputs.Int64[OnnxNames.Action], expectedLogits.AsReadOnlySpan(), actions, offset);
        }
    }

    private static void CheckQValues(IAgent agent, QNetwork network)
    {
        using var run = OnnxRun.Export(agent);
        foreach (int rows in Batches)
        {
            var observations = OnnxRun.RandomObservations(rows, network.ObservationSize, seed: (ulong)rows + 20);
            var outputs = run.Run(observations, rows);
            Assert.That(outputs.Names, Is.EqualTo(new[] { OnnxNames.Action, OnnxNames.QValues }));
            using var scope = TensorScope.Begin();
            using var noGrad = GradMode.NoGrad();
            var x = Tensor.FromArray(observations, rows, network.ObservationSize);
            var q = network.Forward(x);
            OnnxRun.AssertClose(q.AsReadOnlySpan(), outputs.Float[OnnxNames.QValues], OnnxNames.QValues);
            AssertActMatches(agent, x, outputs.Int64[OnnxNames.Action], q.AsReadOnlySpan(), network.ActionCount);
        }
    }

    // SAC, TD3, DDPG: the deterministic action, in the box.
    private static void CheckContinuous(IAgent agent)
    {
        int size = agent.ObservationSpace.FlatSize;
        using var run = OnnxRun.Export(agent);
        foreach (int rows in Batches)
        {
            var observations = OnnxRun.RandomObservations(rows, size, seed: (ulong)rows + 30, scale: 2f);
            var outputs = run.Run(observations, rows);
            Assert.That(outputs.Names, Is.EqualTo(new[] { OnnxNames.Action }));
            var expected = new float[rows * agent.ActionSpace.FlatSize];
            using (TensorScope.Begin()) agent.Act(Tensor.FromArray(observations, rows, size), expected, deterministic: true);
            OnnxRun.AssertClose(expected, outputs.Float[OnnxNames.Action], OnnxNames.Action);
            Assert.That(outputs.Shapes[OnnxNames.Action], Is.EqualTo(new long[] { rows, agent.ActionSpace.FlatSize }));
            AssertInsideBox((Box)agent.ActionSpace, outputs.Float[OnnxNames.Action]);
        }
    }

    private static void AssertActMatches(IAgent agent, Tensor x, long[] onnxActions, ReadOnlySpan<float> scores, int actions, int offset = 0)
    {
        var expected = new int[x.Dim(0)];
        agent.Act(x, expected, deterministic: true);
        OnnxRun.AssertSameActions(expected, onnxActions, scores, actions, offset);
    }

    private static void AssertInsideBox(Box box, float[] actions)
    {
        int size = box.FlatSize;
        for (int i = 0; i < actions.Length; i++)
            Assert.That(actions[i], Is.InRange(box.Low[i % size], box.High[i % size]), $"action element {i}");
    }

    // Each row allows a random non-empty subset of the actions.
    private static bool[] RandomMask(int rows, int actions, ulong seed)
    {
        var rng = new RandomGenerator(seed + 99);
        var mask = new bool[rows * actions];
        for (int row = 0; row < rows; row++)
        {
            for (int a = 0; a < actions; a++) mask[row * actions + a] = rng.NextSingle() < 0.6f;
            mask[row * actions + rng.NextInt(actions)] = true;
        }
        return mask;
    }
}
