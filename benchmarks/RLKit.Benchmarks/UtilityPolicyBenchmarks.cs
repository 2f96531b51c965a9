using BenchmarkDotNet.Attributes;
using RLKit.Algorithms.ActionRelations;
using RLKit.Algorithms.Ppo;
using RLKit.Autograd;
using RLKit.Optim;
using RLKit.Spaces;
using RLKit.Tensors;

namespace RLKit.Benchmarks;

/// <summary>
/// The utility policy of seed 003 ch. 2 (<see cref="UtilityPolicyHead"/> on PPO's 2 × 64 tanh actor trunk) through the
/// library's own code: acting over a large universe, and a PPO minibatch step.
/// </summary>
/// <remarks>
/// <para><c>ActStep200</c>: one sampled decision of a PPO agent with <c>UtilityPolicy</c> over 200 available actions of a
/// 1024-action universe with 16-float representations (latent 64, the skill grid's 81-float observation), through
/// <c>IActionSetAgent.Act</c> (the call a rollout step or an evaluation makes). Issue 13 asks for ≤ 50 µs.
/// <c>ActStep200Greedy</c>: the same, greedy.</para>
/// <para><c>PpoMinibatch256x50</c>: forward, clipped-surrogate, value and entropy losses, backward, gradient clipping
/// and Adam on 256 rows with 50 available actions each (the grid's m = 50) from the same universe.</para>
/// </remarks>
[MemoryDiagnoser]
public class UtilityPolicyBenchmarks
{
    private const int Observation = 81, Universe = 1024, Representation = 16, Available = 200, Rows = 256, PerRow = 50;

    private PpoAgent _agent = null!;
    private Tensor _observation = null!;
    private bool[] _available = null!;
    private int[] _action = null!;
    private RandomGenerator _actingRng = null!;

    private Adam _optimizer = null!;
    private Tensor _observations = null!, _advantages = null!, _returns = null!, _oldValues = null!, _oldLogProbs = null!;
    private bool[] _masks = null!;
    private int[] _actions = null!;

    /// <summary>Builds the agent and a random minibatch from fixed seeds.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new RandomGenerator(1);
        var universe = new ActionSet(Universe, Representation, RandomFloats(rng, Universe * Representation));
        _agent = new PpoAgent(new Box(0f, 5f, Observation), universe, new PpoOptions { Seed = 1, UtilityPolicy = UtilityPolicyOptions.Default }, new RandomGenerator(2));
        _observation = Tensor.FromArray(RandomFloats(rng, Observation), 1, Observation);
        _available = new bool[Universe];
        foreach (int id in Choose(rng, Available)) _available[id] = true;
        _action = new int[1];
        _actingRng = new RandomGenerator(3);

        _optimizer = new Adam(_agent.Network.Parameters(), 1e-3f, epsilon: 1e-5f);
        _observations = Tensor.FromArray(RandomFloats(rng, Rows * Observation), Rows, Observation);
        _masks = new bool[Rows * Universe];
        _actions = new int[Rows];
        for (int r = 0; r < Rows; r++)
        {
            var offered = Choose(rng, PerRow);
            foreach (int id in offered) _masks[r * Universe + id] = true;
            _actions[r] = offered[rng.NextInt(PerRow)];
        }
        _advantages = Tensor.FromArray(RandomFloats(rng, Rows), Rows);
        _returns = Tensor.FromArray(RandomFloats(rng, Rows), Rows);
        _oldValues = Tensor.FromArray(RandomFloats(rng, Rows), Rows);
        using (GradMode.NoGrad())
        {
            var (policy, _) = _agent.Network.Forward(_observations, _masks);
            _oldLogProbs = policy.LogProb(_actions).Detach();
        }
    }

    /// <summary>One sampled decision over 200 available actions of 1024.</summary>
    [Benchmark]
    public int ActStep200()
    {
        _agent.Act(_observation, _available, _action, deterministic: false, _actingRng);
        return _action[0];
    }

    /// <summary>One greedy decision over 200 available actions of 1024.</summary>
    [Benchmark]
    public int ActStep200Greedy()
    {
        _agent.Act(_observation, _available, _action, deterministic: true);
        return _action[0];
    }

    /// <summary>One PPO minibatch (256 rows × 50 available actions): losses, backward, gradient clipping, Adam.</summary>
    [Benchmark]
    public float PpoMinibatch256x50()
    {
        using var scope = TensorScope.Begin();
        var (policy, value) = _agent.Network.Forward(_observations, _masks);
        var ratio = (policy.LogProb(_actions) - _oldLogProbs).Exp();
        var loss = PpoLoss.ClippedSurrogate(ratio, _advantages, 0.1f)
                   + PpoLoss.Value(value, _returns, _oldValues, null) * 0.5f
                   - policy.Entropy().Mean() * 0.05f;
        _optimizer.ZeroGrad();
        loss.Backward();
        GradClip.ClipGradNorm(_optimizer.Parameters, 0.5f);
        _optimizer.Step();
        return loss.Item();
    }

    // count distinct ids of the universe.
    private static int[] Choose(RandomGenerator rng, int count)
    {
        var ids = Enumerable.Range(0, Universe).ToArray();
        rng.Shuffle(ids.AsSpan());
        return ids[..count];
    }

    private static float[] RandomFloats(RandomGenerator rng, int count)
    {
        var values = new float[count];
        rng.FillNormal(values);
        return values;
    }
}
