using BenchmarkDotNet.Attributes;
using RLKit.Environments;
using RLKit.Environments.Vector;
using RLKit.Envs;
using RLKit.Tensors;

namespace RLKit.Benchmarks;

/// <summary>
/// One batched step of 8 CartPole-v1 environments (NextStep autoreset, alternating actions so episodes end and
/// autoresets are part of the measurement): in-thread (sync) and on worker threads (parallel). Allocated bytes are
/// per vector step.
/// </summary>
[MemoryDiagnoser]
public class VectorEnvBenchmarks
{
    private const int Count = 8;
    private IVectorEnvironment _vector = null!;
    private int[] _actions = null!;
    private int _t;

    /// <summary>"sync" or "parallel".</summary>
    [Params("sync", "parallel")]
    public string Kind { get; set; } = "sync";

    [GlobalSetup]
    public void Setup()
    {
        var catalog = StandardEnvironments.CreateCatalog();
        var envs = Enumerable.Range(0, Count).Select(_ => catalog.Make("CartPole-v1")).ToArray();
        _vector = Kind == "sync" ? new SyncVectorEnvironment(envs) : new ParallelVectorEnvironment(envs);
        _vector.Reset(seed: 1);
        var rng = new RandomGenerator(2);
        _actions = new int[Count];
        for (int i = 0; i < Count; i++) _actions[i] = rng.NextInt(2);
    }

    [GlobalCleanup]
    public void Cleanup() => _vector.Dispose();

    [Benchmark]
    public float Step()
    {
        // Flip one action per step: a cheap, deterministic pseudo-policy that still ends episodes.
        _actions[_t++ & (Count - 1)] ^= 1;
        return _vector.Step(_actions).Rewards[0];
    }
}
