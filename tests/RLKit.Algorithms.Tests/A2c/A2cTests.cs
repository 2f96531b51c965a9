using System.Diagnostics;
using RLKit.Algorithms.A2c;
using RLKit.Algorithms.MixMask;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Algorithms.Tests.A2c;

public class A2cTests
{
    [Test]
    public void LearnsCartPoleWithTheStableBaselinesDefaults()
    {
        // n-step returns (λ = 1), 5 steps × 8 envs, RMSprop 7e-4, separate actor and critic.
        AssertLearnsCartPole(new A2cOptions { Seed = 1 }, maxSteps: 200_000);
    }

    [Test]
    public void LearnsCartPoleWithASharedNetworkGaeAndAdam()
    {
        AssertLearnsCartPole(new A2cOptions { Seed = 1, SharedNetwork = true, GaeLambda = 0.95f, Optimizer = A2cOptimizer.Adam, LearningRate = 1e-3f },
                             maxSteps: 250_000);
    }

    private static void AssertLearnsCartPole(A2cOptions options, long maxSteps)
    {
        using var env = LearningEvaluation.MakeVector("CartPole-v1", count: 8);
        var clock = Stopwatch.StartNew();
        TrainingUpdate? final = null;
        var agent = new A2cEstimator(options).Fit(env, Budget.Steps(maxSteps).UntilMeanReturn(400, window: 20), new SynchronousProgress(u => final = u));
        clock.Stop();

        double mean = LearningEvaluation.GreedyMeanReturn(agent, "CartPole-v1", episodes: 10);
        TestContext.Out.WriteLine($"A2C CartPole: greedy mean {mean:0.#} after {final!.Steps} steps, {final.Episodes} episodes, {clock.Elapsed.TotalSeconds:0.0} s ({final.StepsPerSecond:0} steps/s)");
        Assert.That(mean, Is.GreaterThanOrEqualTo(195));
    }

    [Test]
    public void ActsInsideThePendulumActionBox()
    {
        using var env = LearningEvaluation.MakeVector("Pendulum-v1", count: 2);
        var agent = new A2cEstimator(new A2cOptions { Seed = 6, InitialLogStd = 1f }).Fit(env, Budget.Steps(400));
        var observations = Tensor.Zeros(16, 3);
        var actions = new float[16];
        agent.Act(observations, actions, deterministic: false, new RandomGenerator(1));
        Assert.That(actions, Is.All.InRange(-2f, 2f));
        Assert.That(actions.Distinct().Count(), Is.GreaterThan(1), "stochastic actions vary");
        agent.Act(observations, actions, deterministic: true);
        Assert.That(actions.Distinct().Count(), Is.EqualTo(1), "greedy actions of equal observations are equal");
    }

    [Test]
    public void APositiveAdvantageRaisesTheActionsLogProbability()
    {
        var options = new A2cOptions { Seed = 3, ValueCoefficient = 0, MaxGradNorm = float.PositiveInfinity, LearningRate = 1e-4f };
        var agent = new A2cAgent(new Box(-1f, 1f, 4), new Discrete(2), options, new RandomGenerator(3));
        var (before, after) = OneUpdate(agent, options, action: 1, advantage: +1f);
        Assert.That(after, Is.GreaterThan(before));
        var (before2, after2) = OneUpdate(agent, options, action: 1, advantage: -1f);
        Assert.That(after2, Is.LessThan(before2));
    }

    [Test]
    public void ContinuousPositiveAdvantageRaisesTheActionsLogProbability()
    {
        var options = new A2cOptions { Seed = 4, ValueCoefficient = 0, MaxGradNorm = float.PositiveInfinity, LearningRate = 1e-4f };
        var agent = new A2cAgent(new Box(-1f, 1f, 3), new Box(-2f, 2f, 1), options, new RandomGenerator(4));
        var buffer = new RolloutBuffer(1, 1, 3, ActionLayout.Continuous(1));
        float[] observation = [0.3f, -0.2f, 0.5f];
        buffer.Add(observation, [1.5f], [0f], [0f], [1f], [true], [false]);
        double before = ContinuousLogProb(agent, observation, 1.5f);
        buffer.ComputeReturnsAndAdvantages([0f], 0.99f, 1f);   // advantage = reward − V(s) = 1 − 0 = +1
        var optimizer = A2cEstimator.CreateOptimizer(agent.Parameters, options);
        using (var scope = TensorScope.Begin())
            foreach (var batch in buffer.Minibatches(1, new RandomGenerator(0)))
                A2cEstimator.Update(agent, optimizer, new SharedFeatureObjective(agent.Network), batch, options, new Dictionary<string, double>());
        Assert.That(ContinuousLogProb(agent, observation, 1.5f), Is.GreaterThan(before));
    }

    [Test]
    public void ReportsPolicyValueAndEntropyLosses()
    {
        using var env = LearningEvaluation.MakeVector("CartPole-v1", count: 2);
        var updates = new List<TrainingUpdate>();
        new A2cEstimator(new A2cOptions { Seed = 2 }).Fit(env, Budget.Steps(100), new SynchronousProgress(updates.Add));
        var last = updates.Last(u => !u.IsFinal);
        Assert.That(last.Losses.Keys, Is.EquivalentTo(new[] { "policy", "value", "entropy" }));
        Assert.That(last.Losses["entropy"], Is.GreaterThan(0.5).And.LessThanOrEqualTo(Math.Log(2) + 1e-6));
        Assert.That(updates[^1].IsFinal, Is.True);
    }

    [Test]
    public void LinearLearningRateDecayRunsToTheEndOfTheBudget()
    {
        // 2 envs × 5 steps per update divide the budget exactly, so the last rollout brings progress to 1; the rate
        // for its update must come from the progress before it, not 0 (which the optimizer refuses).
        using var env = LearningEvaluation.MakeVector("CartPole-v1", count: 2);
        var updates = new List<TrainingUpdate>();
        new A2cEstimator(new A2cOptions { Seed = 2, LinearLearningRateDecay = true }).Fit(env, Budget.Steps(100), new SynchronousProgress(updates.Add));
        var rates = updates.Where(u => !u.IsFinal).Select(u => u.LearningRate).ToArray();
        Assert.That(rates, Has.Length.EqualTo(10));
        Assert.That(rates[0], Is.EqualTo(7e-4).Within(1e-9));
        Assert.That(rates, Is.Ordered.Descending);
        Assert.That(rates[^1], Is.EqualTo(7e-5).Within(1e-9));
        Assert.That(updates[^1].IsFinal, Is.True);
    }

    [Test]
    public void SharedNetworkHasOneTrunk()
    {
        var shared = new A2cAgent(new Box(-1f, 1f, 4), new Discrete(2), new A2cOptions { SharedNetwork = true }, new RandomGenerator(0));
        var separate = new A2cAgent(new Box(-1f, 1f, 4), new Discrete(2), new A2cOptions(), new RandomGenerator(0));
        Assert.That(shared.Weights.Keys, Has.Some.StartsWith("trunk.").And.None.StartsWith("critic."));
        Assert.That(separate.Weights.Keys, Has.Some.StartsWith("critic."));
        Assert.That(shared.Network.ParameterCount, Is.LessThan(separate.Network.ParameterCount));
    }

    [Test]
    public void OptionsRoundTripThroughJson()
    {
        var options = new A2cOptions { Seed = 7, Gamma = 0.9f, HiddenSizes = [32, 16], Activation = RLKit.Nn.ActivationKind.ReLU };
        string json = System.Text.Json.JsonSerializer.Serialize(options);
        var back = System.Text.Json.JsonSerializer.Deserialize<A2cOptions>(json)!;
        Assert.That(back.Activation, Is.EqualTo(RLKit.Nn.ActivationKind.ReLU));
        Assert.That(back.HiddenSizes, Is.EqualTo(new[] { 32, 16 }));
        Assert.That(System.Text.Json.JsonSerializer.Serialize(back), Is.EqualTo(json));
    }

    [TestCase(nameof(A2cOptions.LearningRate))]
    [TestCase(nameof(A2cOptions.StepsPerUpdate))]
    [TestCase(nameof(A2cOptions.Gamma))]
    [TestCase(nameof(A2cOptions.GaeLambda))]
    [TestCase(nameof(A2cOptions.ValueCoefficient))]
    [TestCase(nameof(A2cOptions.EntropyCoefficient))]
    [TestCase(nameof(A2cOptions.MaxGradNorm))]
    [TestCase(nameof(A2cOptions.RmsPropAlpha))]
    [TestCase(nameof(A2cOptions.RmsPropEpsilon))]
    [TestCase(nameof(A2cOptions.HiddenSizes))]
    [TestCase(nameof(A2cOptions.InitialLogStd))]
    [TestCase(nameof(A2cOptions.Activation))]
    [TestCase(nameof(A2cOptions.Optimizer))]
    public void InvalidOptionsNameTheOption(string option)
    {
        var valid = new A2cOptions();
        var invalid = option switch
        {
            nameof(A2cOptions.LearningRate) => valid with { LearningRate = 0 },
            nameof(A2cOptions.StepsPerUpdate) => valid with { StepsPerUpdate = 0 },
            nameof(A2cOptions.Gamma) => valid with { Gamma = 1.5f },
            nameof(A2cOptions.GaeLambda) => valid with { GaeLambda = -0.1f },
            nameof(A2cOptions.ValueCoefficient) => valid with { ValueCoefficient = -1 },
            nameof(A2cOptions.EntropyCoefficient) => valid with { EntropyCoefficient = float.NaN },
            nameof(A2cOptions.MaxGradNorm) => valid with { MaxGradNorm = 0 },
            nameof(A2cOptions.RmsPropAlpha) => valid with { RmsPropAlpha = 1 },
            nameof(A2cOptions.RmsPropEpsilon) => valid with { RmsPropEpsilon = 0 },
            nameof(A2cOptions.HiddenSizes) => valid with { HiddenSizes = [64, 0] },
            nameof(A2cOptions.Activation) => valid with { Activation = (RLKit.Nn.ActivationKind)99 },
            nameof(A2cOptions.InitialLogStd) => valid with { InitialLogStd = 5 },
            nameof(A2cOptions.Optimizer) => valid with { Optimizer = (A2cOptimizer)7 },
            _ => throw new ArgumentException(option),
        };
        Assert.DoesNotThrow(() => _ = new A2cEstimator(valid));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new A2cEstimator(invalid));
        Assert.That(error!.ParamName, Is.EqualTo(option));
        Assert.That(error.Message, Does.Contain(option));
    }

    private static (double Before, double After) OneUpdate(A2cAgent agent, A2cOptions options, int action, float advantage)
    {
        float[] observation = [0.1f, -0.3f, 0.2f, 0.05f];
        var buffer = new RolloutBuffer(1, 1, 4, ActionLayout.Discrete(2));
        // A terminated step with V(s) stored as 0 makes the advantage exactly the reward.
        buffer.Add(observation, [action], [0f], [0f], [advantage], [true], [false]);
        buffer.ComputeReturnsAndAdvantages([0f], 0.99f, 1f);
        double before = DiscreteLogProb(agent, observation, action);
        var optimizer = A2cEstimator.CreateOptimizer(agent.Parameters, options);
        using (var scope = TensorScope.Begin())
            foreach (var batch in buffer.Minibatches(1, new RandomGenerator(0)))
                A2cEstimator.Update(agent, optimizer, new SharedFeatureObjective(agent.Network), batch, options, new Dictionary<string, double>());
        return (before, DiscreteLogProb(agent, observation, action));
    }

    private static double DiscreteLogProb(A2cAgent agent, float[] observation, int action)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        return agent.Network.Policy(Tensor.FromArray(observation, 1, observation.Length)).LogProb([action]).Item();
    }

    private static double ContinuousLogProb(A2cAgent agent, float[] observation, float action)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        return agent.Network.Policy(Tensor.FromArray(observation, 1, observation.Length)).LogProb(Tensor.FromArray([action], 1, 1)).Item();
    }
}
