using BenchmarkDotNet.Attributes;
using RLKit.Algorithms.Common;
using RLKit.Algorithms.Dqn;
using RLKit.Algorithms.Ppo;
using RLKit.Algorithms.Sac;
using RLKit.Autograd;
using RLKit.Data;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Nn;
using RLKit.Optim;
using RLKit.Spaces;
using RLKit.Tensors;
using RLKit.Training;

namespace RLKit.Benchmarks;

/// <summary>Shared set-up for the algorithm benchmarks: SameStep vector environments and replay buffers of real transitions.</summary>
internal static class AlgorithmBenchmarkSetup
{
    /// <summary>A SameStep (training) vector environment of <paramref name="count"/> copies of <paramref name="id"/>.</summary>
    public static SyncVectorEnvironment MakeVector(string id, int count)
    {
        var catalog = StandardEnvironments.CreateCatalog();
        return new SyncVectorEnvironment(Enumerable.Range(0, count).Select(_ => catalog.Make(id)).ToArray(), AutoresetMode.SameStep);
    }

    /// <summary>
    /// Fills the collector's replay buffer with <paramref name="vectorSteps"/> steps of uniformly random actions, so a
    /// sampled batch holds real transitions (including terminal and truncated ones) rather than synthetic numbers.
    /// </summary>
    public static void FillWithRandomPolicy(TransitionCollector collector, IVectorEnvironment environment, int vectorSteps, RandomGenerator rng)
    {
        environment.Reset(1);
        var actionSpace = environment.SingleActionSpace;
        int size = actionSpace.FlatSize;
        for (int t = 0; t < vectorSteps; t++)
        {
            if (actionSpace is Discrete discrete)
                for (int i = 0; i < environment.Count; i++) collector.DiscreteActions[i] = rng.NextInt(discrete.N);
            else
                for (int i = 0; i < environment.Count; i++) ((Box)actionSpace).Sample(rng, collector.ContinuousActions.AsSpan(i * size, size));
            collector.Step();
        }
    }

    /// <summary>A monitor that never stops, for driving the training code's pieces outside <c>Fit</c>.</summary>
    public static TrainingMonitor UnboundedMonitor(string algorithm, int envCount) => new(algorithm, Budget.Steps(long.MaxValue), envCount);
}

/// <summary>
/// One PPO iteration on CartPole-v1 with the QuickStart (RL-Zoo) settings: a rollout of 8 environments × 32 steps, GAE,
/// then 20 epochs of one 256-transition minibatch (20 gradient steps on the 4→64→64 actor and critic). The estimator
/// is one loop with no internal entry point per iteration, so each invocation is <c>Fit</c> with a budget of exactly
/// 256 steps on a pre-created vector environment, warm-started from the same agent. That includes Fit's per-call set-up
/// (environment reset, rollout buffer, Adam state, training monitor), which is small next to the 20 gradient steps.
/// </summary>
[MemoryDiagnoser]
public class PpoIterationBenchmarks
{
    private const int EnvironmentCount = 8;
    private SyncVectorEnvironment _environment = null!;
    private PpoEstimator _estimator = null!;
    private PpoAgent _agent = null!;
    private Budget _oneIteration = null!;

    [GlobalSetup]
    public void Setup()
    {
        _environment = AlgorithmBenchmarkSetup.MakeVector("CartPole-v1", EnvironmentCount);
        var options = PpoOptions.CartPole with { Seed = 1 };
        _estimator = new PpoEstimator(options);
        _agent = new PpoAgent(_environment.SingleObservationSpace, _environment.SingleActionSpace, options, new RandomGenerator(1));
        _oneIteration = Budget.Steps((long)EnvironmentCount * options.StepsPerEnvironment);
    }

    [GlobalCleanup]
    public void Cleanup() => _environment.Dispose();

    /// <summary>Rollout (8 × 32 steps) + GAE + 20 epochs × 1 minibatch of 256.</summary>
    [Benchmark]
    public PpoAgent Iteration() => _estimator.Fit(_environment, _oneIteration, initialAgent: _agent);
}

/// <summary>
/// One DQN gradient step with the default options (batch 64, a 4→64→64→2 ReLU Q-network, Huber loss, grad-norm clip 10,
/// Adam): sample a batch from a replay buffer pre-filled with 10 000 random-policy CartPole-v1 transitions, compute
/// the max_a′ Q_target(s′, a′) targets under NoGrad, regress Q(s, a) onto them and step. It calls the training code's
/// own (internal) <see cref="QLearning"/> gradient step with DQN's target, so the benchmark cannot drift from it.
/// </summary>
[MemoryDiagnoser]
public class DqnStepBenchmarks
{
    private readonly DqnOptions _options = new() { Seed = 1 };
    private SyncVectorEnvironment _environment = null!;
    private QLearning _learning = null!;

    [GlobalSetup]
    public void Setup()
    {
        var o = _options;
        var rng = new RandomGenerator(1);
        _environment = AlgorithmBenchmarkSetup.MakeVector("CartPole-v1", 8);
        int observationSize = _environment.SingleObservationSpace.FlatSize;
        int actionCount = ((Discrete)_environment.SingleActionSpace).N;
        var qNetwork = new QNetwork(observationSize, actionCount, o.HiddenSizes, o.Dueling, rng);
        var monitor = AlgorithmBenchmarkSetup.UnboundedMonitor(DqnEstimator.Name, _environment.Count);
        _learning = new QLearning(_environment, monitor, o, qNetwork, rng, keptBuffer: null, DqnEstimator.Name);
        AlgorithmBenchmarkSetup.FillWithRandomPolicy(_learning.Collector, _environment, 10_000 / _environment.Count, rng);
    }

    [GlobalCleanup]
    public void Cleanup() => _environment.Dispose();

    /// <summary>Sample 64, targets, Huber loss, backward, clip, Adam step: the training code's own gradient step.</summary>
    [Benchmark]
    public double GradientStep() => _learning.GradientStep(DqnEstimator.DqnTarget).Loss;
}

/// <summary>
/// One SAC learning step with the default options (batch 256, [256, 256] ReLU actor and twin critics, automatic α) on
/// Pendulum-v1 shapes (3 observations, 1 action): sample a batch from a replay buffer pre-filled with 10 000
/// random-action Pendulum transitions, the soft target under NoGrad, the twin-critic MSE update, one actor update, one
/// α update and the Polyak update of both target critics. <see cref="SacEstimator"/> does one critic update per step
/// and two actor/α updates every second step, so this is its average per-step learning cost; it mirrors the estimator's
/// loop body (which has no internal entry point).
/// </summary>
[MemoryDiagnoser]
public class SacStepBenchmarks
{
    private readonly SacOptions _options = new() { Seed = 1 };
    private TanhGaussianActor _actor = null!;
    private ContinuousQNetwork _q1 = null!, _q2 = null!, _q1Target = null!, _q2Target = null!;
    private Tensor _logAlpha = null!;
    private Adam _criticOptimizer = null!, _actorOptimizer = null!, _alphaOptimizer = null!;
    private ReplayBuffer _buffer = null!;
    private RandomGenerator _rng = null!;
    private int _actionSize;
    private float _targetEntropy;

    [GlobalSetup]
    public void Setup()
    {
        var o = _options;
        _rng = new RandomGenerator(1);
        using var environment = AlgorithmBenchmarkSetup.MakeVector("Pendulum-v1", 1);
        var actionSpace = (Box)environment.SingleActionSpace;
        int observationSize = environment.SingleObservationSpace.FlatSize;
        _actionSize = actionSpace.FlatSize;
        var agent = SacAgent.Create(environment.SingleObservationSpace, actionSpace, o, _rng);
        (_actor, _q1, _q2, _logAlpha) = (agent.Actor, agent.Q1, agent.Q2, agent.LogAlpha);
        _q1Target = _q1.CloneAsTarget(_rng);
        _q2Target = _q2.CloneAsTarget(_rng);
        _criticOptimizer = new Adam(_q1.Parameters().Concat(_q2.Parameters()), o.QLearningRate);
        _actorOptimizer = new Adam(_actor.Parameters(), o.PolicyLearningRate);
        _alphaOptimizer = new Adam([_logAlpha], o.QLearningRate);
        _targetEntropy = o.TargetEntropy ?? -_actionSize;
        _buffer = new ReplayBuffer(observationSize, ActionLayout.Continuous(_actionSize),
                                   new ReplayBufferOptions { Capacity = 10_000, EnvCount = 1, Gamma = o.Gamma });
        var collector = new TransitionCollector(environment, _buffer, AlgorithmBenchmarkSetup.UnboundedMonitor("sac", environment.Count));
        AlgorithmBenchmarkSetup.FillWithRandomPolicy(collector, environment, 10_000, _rng);
    }

    /// <summary>Sample 256, soft target, critic step, actor step, α step, Polyak update of both target critics.</summary>
    [Benchmark]
    public float GradientStep()
    {
        var o = _options;
        using var scope = TensorScope.Begin();
        var batch = _buffer.Sample(o.BatchSize, _rng);
        float alpha = MathF.Exp(_logAlpha.AsReadOnlySpan()[0]);
        Tensor target;
        using (GradMode.NoGrad())
        {
            var (nextActions, nextLogProbs) = _actor.Sample(batch.NextObservations, Tensor.RandomNormal(_rng, [batch.Size, _actionSize]));
            var softNextQ = Tensor.Minimum(_q1Target.Forward(batch.NextObservations, nextActions), _q2Target.Forward(batch.NextObservations, nextActions))
                            - nextLogProbs * alpha;
            target = batch.Rewards + batch.Discounts * (1f - batch.Dones) * softNextQ;
        }
        var criticLoss = Functional.MseLoss(_q1.Forward(batch.Observations, batch.Actions), target)
                       + Functional.MseLoss(_q2.Forward(batch.Observations, batch.Actions), target);
        _criticOptimizer.ZeroGrad();
        criticLoss.Backward();
        _criticOptimizer.Step();

        var (policyActions, logProbs) = _actor.Sample(batch.Observations, Tensor.RandomNormal(_rng, [batch.Size, _actionSize]));
        var minQ = Tensor.Minimum(_q1.Forward(batch.Observations, policyActions), _q2.Forward(batch.Observations, policyActions));
        var policyLoss = (logProbs * alpha - minQ).Mean();
        _actorOptimizer.ZeroGrad();
        policyLoss.Backward();
        _actorOptimizer.Step();

        var temperatureLoss = OffPolicyHelpers.TemperatureLoss(_logAlpha, logProbs, _targetEntropy);
        _alphaOptimizer.ZeroGrad();
        temperatureLoss.Backward();
        _alphaOptimizer.Step();

        OffPolicyHelpers.SoftUpdate(_q1Target, _q1, o.Tau);
        OffPolicyHelpers.SoftUpdate(_q2Target, _q2, o.Tau);
        return criticLoss.Item();
    }
}

/// <summary>
/// The QuickStart's whole training run: PPO on CartPole-v1 with the RL-Zoo settings (8 environments × 32 steps, batch
/// 256, 20 epochs, γ 0.98, λ 0.8, lr 1e-3 linear, clip 0.2) for 100 000 steps, from a fresh agent. One invocation is
/// one full <c>Fit</c> (the vector environment is created once; Fit resets it). The subclasses say how it is measured.
/// </summary>
public abstract class QuickStartTraining
{
    private SyncVectorEnvironment _environment = null!;

    [GlobalSetup]
    public void Setup() => _environment = AlgorithmBenchmarkSetup.MakeVector("CartPole-v1", 8);

    [GlobalCleanup]
    public void Cleanup() => _environment.Dispose();

    /// <summary>PPO, 100 000 steps (390 iterations), as <c>samples/RLKit.QuickStart</c> trains it.</summary>
    [Benchmark]
    public PpoAgent Train() => new PpoEstimator(PpoOptions.CartPole with { Seed = 1 }).Fit(_environment, Budget.Steps(100_000));
}

/// <summary>
/// <see cref="QuickStartTraining"/> warm: it runs with its own job (3 measured runs, no warm-up iterations, after
/// BenchmarkDotNet's unmeasured jitting run), so run it without <c>--job</c>. <see cref="QuickStartColdStartBenchmarks"/>
/// measures the same training cold, as a user's run pays for it.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class QuickStartBenchmarks : QuickStartTraining;
