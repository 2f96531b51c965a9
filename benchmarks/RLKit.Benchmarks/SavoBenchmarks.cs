using BenchmarkDotNet.Attributes;
using RLKit.Algorithms.Savo;
using RLKit.Algorithms.Td3;
using RLKit.Data;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Benchmarks;

/// <summary>
/// SAVO-TD3 (k = 3 successive actor-surrogates, [256, 256] networks, batch 256; seed 003 Table C.1's MuJoCo column)
/// beside TD3, on a 17-dimensional observation and 6-dimensional action (a Hopper/Walker-sized task), through the
/// agents and the update code themselves.
/// </summary>
/// <remarks>
/// <para><c>Act*</c>: one exploring act step for one observation. TD3: the actor and the noise. SAVO: the chain
/// ν_0 … ν_2 (each ν_i with its DeepSet summary and FiLM), noise on every proposal, Q1 of all three and the argmax.</para>
/// <para><c>Update*</c>: one full update on a batch of 256 from a buffer of 10,000 — critic step plus the delayed step
/// (surrogate fit, actor step, Polyak averaging), i.e. what a policy-delay-1 update costs. The TD3 row is the same
/// update code with the "single" architecture (TD3's one actor ascending Q1, twin critics), so the ratio isolates what
/// the successive actors and surrogates add. Targets: act ≤ 3× TD3, update ≤ (k + 1)× = 4× TD3.</para>
/// </remarks>
[MemoryDiagnoser]
public class SavoBenchmarks
{
    private const int ObservationSize = 17, ActionSize = 6, Filled = 10_000, Batch = 256;

    private Td3Agent _td3 = null!;
    private SavoAgent _savo = null!;
    private SavoLearner _savoLearner = null!, _singleLearner = null!;
    private ReplayBuffer _buffer = null!;
    private RandomGenerator _rng = null!;
    private Tensor _observation = null!;
    private float[] _action = null!;

    /// <summary>Builds both agents and learners from one seed and a buffer of random transitions.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var observationSpace = new Box(-10f, 10f, ObservationSize);
        var actionSpace = new Box(-1f, 1f, ActionSize);
        _td3 = Td3Agent.Create(observationSpace, actionSpace, new Td3Options { Seed = 1 }, new RandomGenerator(1));
        var savoOptions = new SavoOptions { Seed = 1, BatchSize = Batch };
        _savo = SavoAgent.Create(observationSpace, actionSpace, savoOptions, new RandomGenerator(1));
        var single = SavoAgent.Create(observationSpace, actionSpace, savoOptions with { Architecture = ActorArchitectures.Single }, new RandomGenerator(1));
        _savoLearner = new SavoLearner(_savo.Actors, _savo.Q1, _savo.Q2, savoOptions, new RandomGenerator(2));
        _singleLearner = new SavoLearner(single.Actors, single.Q1, single.Q2, single.Options, new RandomGenerator(2));

        _rng = new RandomGenerator(3);
        _buffer = new ReplayBuffer(ObservationSize, ActionLayout.Continuous(ActionSize), new ReplayBufferOptions { Capacity = Filled });
        var observation = new float[ObservationSize];
        var next = new float[ObservationSize];
        var action = new float[ActionSize];
        for (int t = 0; t < Filled; t++)
        {
            for (int i = 0; i < ObservationSize; i++) (observation[i], next[i]) = (_rng.Normal(), _rng.Normal());
            actionSpace.Sample(_rng, action);
            _buffer.Add(observation, action, _rng.Normal(), next, terminated: t % 1000 == 999, truncated: false);
        }
        _observation = Tensor.RandomNormal(new RandomGenerator(4), [1, ObservationSize]);
        _action = new float[ActionSize];
    }

    /// <summary>TD3's exploring act step for one observation.</summary>
    [Benchmark(Baseline = true)]
    public void ActTd3() => _td3.Act(_observation, _action, deterministic: false, _rng);

    /// <summary>SAVO's exploring act step for one observation (k = 3).</summary>
    [Benchmark]
    public void ActSavo() => _savo.Act(_observation, _action, deterministic: false, _rng);

    /// <summary>One TD3 update (the "single" architecture): critic step and actor step on 256 transitions.</summary>
    [Benchmark]
    public void UpdateTd3() => Update(_singleLearner);

    /// <summary>One SAVO update (k = 3): critic step, surrogate fit and actor step on 256 transitions.</summary>
    [Benchmark]
    public void UpdateSavo() => Update(_savoLearner);

    private void Update(SavoLearner learner)
    {
        using var scope = TensorScope.Begin();
        var batch = _buffer.Sample(Batch, _rng);
        learner.CriticStep(batch);
        learner.ActorStep(batch);
    }
}
